import { z } from 'zod';
import { simulationReportSchema } from './report.js';
import { RUN_MODES } from './request.js';

const taskEventFields = {
  runId: z.uuid(),
  mode: z.enum(RUN_MODES),
  /** The task's place in the run's list. */
  index: z.number().int().min(0),
  name: z.string(),
  /** The host of the process the task runs in. */
  host: z.string().min(1),
  pid: z.number().int().positive(),
  threadId: z.number().int().min(0),
  /** Offset from the mode's start, in ms. */
  atMs: z.number(),
};

/** What a run tells its watchers as it goes (GET /simulations/:id/events): each event's `data`, named by its `type`. */
export const simulationEventSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('task-started'), ...taskEventFields }),
    z.strictObject({ type: z.literal('task-finished'), ...taskEventFields }),
    z.strictObject({ type: z.literal('run-finished'), runId: z.uuid(), status: z.literal('finished'), report: simulationReportSchema }),
    z.strictObject({ type: z.literal('run-failed'), runId: z.uuid(), status: z.enum(['failed', 'cancelled']), error: z.string() }),
  ])
  .meta({ id: 'SimulationEvent', description: "The data of one server-sent event; the event's name is its type." });
export type SimulationEvent = z.infer<typeof simulationEventSchema>;

export type EventSink = (event: SimulationEvent) => void;
