import type { components } from '../generated/openapi.js';

type Schemas = components['schemas'];

/** The bodies of the coordinator's API, as its OpenAPI document describes them. */
export type SimulationRequest = Schemas['SimulationRequest'];
export type SimulationReport = Schemas['SimulationReport'];
export type RunReport = Schemas['RunReport'];
export type CompareReport = Schemas['CompareReport'];
export type TaskTiming = Schemas['TaskTiming'];
export type RunView = Schemas['RunView'];
export type RunSummary = Schemas['RunSummary'];
export type AcceptedRun = Schemas['AcceptedRun'];
export type SimulationList = Schemas['SimulationList'];
export type SimulationEvent = Schemas['SimulationEvent'];
export type QueueRunRequest = Schemas['QueueRunRequest'];
export type QueueRunReport = Schemas['QueueRunReport'];
export type QueueRunView = Schemas['QueueRunView'];
export type RunOwner = Schemas['RunOwner'];
export type Health = Schemas['Health'];
export type Ready = Schemas['Ready'];
export type Problem = Schemas['Problem'];
