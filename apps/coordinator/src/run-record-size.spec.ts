import { QUEUE_RUN_LIMITS, queueRunReportSchema, type QueueRunReport } from '@concurrency-lab/queue-runs';
import { RUN_RECORD_LIMITS } from '@concurrency-lab/run-records';
import { MODE_CATALOGUE, SIMULATION_LIMITS, simulationReportSchema, type SimulationReport } from '@concurrency-lab/simulation';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';

/**
 * The largest records a run can produce under the API's limits, measured:
 * the bucket's value size (RUN_RECORD_LIMITS.maxValueBytes) must hold them,
 * and the server's max_payload (deploy/nats/nats.conf, 8 MB) the value.
 */

/** The body limit of POST /queue-runs (app.ts: '1.5mb', which Express reads as 1.5 MiB). */
const BODY_BYTES = 1.5 * 1024 * 1024;
/** The longest host name Linux gives (HOST_NAME_MAX), and the largest pid (pid_max on 64-bit). */
const HOST = 'h'.repeat(64);
const PID = 4_194_304;
const MS = 123_456.7;

/** The record around a report, as the archive writes it. */
function recordBytes(kind: string, input: object, result: object): number {
  const at = new Date().toISOString();
  const record = {
    kind,
    id: randomUUID(),
    state: 'finished',
    createdAt: at,
    endedAt: at,
    owner: { instance: randomUUID(), host: HOST, pid: PID },
    input,
    result,
  };
  return Buffer.byteLength(JSON.stringify(record));
}

function largestQueueReport(): QueueRunReport {
  // 10,000 items filling the body: each costs its length plus its quotes and comma there.
  const itemLength = Math.floor(BODY_BYTES / QUEUE_RUN_LIMITS.maxItems) - 3;
  const timeline = Array.from({ length: QUEUE_RUN_LIMITS.maxItems }, (_, index) => ({
    seq: index + 1,
    item: 'x'.repeat(itemLength),
    writtenAtMs: MS,
    writerPid: PID,
    writerHost: HOST,
    readStartedAtMs: MS,
    readAtMs: MS,
    readerPid: PID,
    readerHost: HOST,
    queuedMs: MS,
    deliveryCount: 10,
    reads: 10,
    handedBack: 10,
  }));
  const count = QUEUE_RUN_LIMITS.maxItems;
  return queueRunReportSchema.parse({
    runId: randomUUID(),
    items: count,
    transport: 'jetstream',
    readerStart: 'after-writer',
    writeDelayMs: 0,
    readDelayMs: 0,
    totalMs: MS,
    itemsPerSecond: MS,
    writerPid: PID,
    readerPids: [PID],
    readers: [{ host: HOST, pid: PID, items: count }],
    reads: count * 10,
    readOnce: 0,
    readAgain: count,
    duplicateReads: count * 9,
    redelivered: count * 9,
    handedBack: count * 10,
    alreadyStored: count,
    timeline,
  });
}

function largestSimulationReport(): SimulationReport {
  // Every mode over the most tasks, each name as long as allowed in characters of 3 bytes in UTF-8.
  const tasks = Array.from({ length: SIMULATION_LIMITS.maxTasks }, () => ({
    name: '€'.repeat(SIMULATION_LIMITS.maxNameLength),
    durationMs: 60_000,
    host: HOST,
    pid: PID,
    threadId: 64,
    waitMs: MS,
    startMs: MS,
    finishMs: MS,
    attempts: 5,
  }));
  const modes = MODE_CATALOGUE.map((mode) => mode.name);
  const row = { totalMs: MS, idealMs: MS, overheadMs: MS, parallelism: 64, speedup: MS, efficiency: MS };
  const base = { runId: randomUUID(), workload: 'io', seed: 4_294_967_295, coordinatorPid: PID, hostCores: 64 };
  return simulationReportSchema.parse({
    ...base,
    mode: 'compare',
    table: modes.map((mode) => ({ mode, ...row })),
    runs: Object.fromEntries(modes.map((mode) => [mode, { ...base, mode, ...row, tasks }])),
  });
}

describe('the largest run records', () => {
  it('fit the bucket: a queue run of 10,000 items filling the body, a simulation comparing every mode over 1000 tasks', () => {
    const queue = largestQueueReport();
    const queueInput = {
      runId: queue.runId,
      transport: 'jetstream',
      readerStart: 'after-writer',
      items: queue.items,
      writeDelayMs: 0,
      readDelayMs: 0,
      scale: 1,
    };
    const queueBytes = recordBytes('queue', queueInput, queue);
    const simulation = largestSimulationReport();
    const simulationInput = {
      modes: MODE_CATALOGUE.map((mode) => mode.name),
      workload: 'io',
      tasks: SIMULATION_LIMITS.maxTasks,
      seed: 4_294_967_295,
    };
    const simulationBytes = recordBytes('simulation', simulationInput, simulation);
    console.info(
      `largest run records: queue ${queueBytes} bytes, simulation ${simulationBytes} bytes; limit ${RUN_RECORD_LIMITS.maxValueBytes}`,
    );
    expect(queueBytes).toBeGreaterThan(5_000_000); // the measure is of the real worst case, not a small one
    expect(queueBytes).toBeLessThanOrEqual(RUN_RECORD_LIMITS.maxValueBytes);
    expect(simulationBytes).toBeLessThanOrEqual(RUN_RECORD_LIMITS.maxValueBytes);
    expect(RUN_RECORD_LIMITS.maxValueBytes).toBeLessThan(8 * 1024 * 1024); // under nats.conf's max_payload, with room for headers
  });
});
