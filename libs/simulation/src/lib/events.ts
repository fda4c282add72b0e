import type { RunMode } from './request.js';
import type { SimulationReport } from './report.js';

/** What a run tells its watchers as it goes (GET /simulations/:id/events). */
export type SimulationEvent =
  | { type: 'task-started'; runId: string; mode: RunMode; index: number; name: string; pid: number; threadId: number; atMs: number }
  | { type: 'task-finished'; runId: string; mode: RunMode; index: number; name: string; pid: number; threadId: number; atMs: number }
  | { type: 'run-finished'; runId: string; status: 'finished'; report: SimulationReport }
  | { type: 'run-failed'; runId: string; status: 'failed' | 'cancelled'; error: string };

export type EventSink = (event: SimulationEvent) => void;
