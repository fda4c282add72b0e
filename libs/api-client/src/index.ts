export {
  createCoordinatorClient,
  type CallOptions,
  type CoordinatorClient,
  type CoordinatorClientOptions,
  type SimulationAnswer,
} from './lib/client.js';
export { CoordinatorProblem, CoordinatorUnreachable, type InvalidParam } from './lib/problem.js';
export type * from './lib/types.js';
export type { components, paths } from './generated/openapi.js';
