import { createCoordinatorClient } from '@concurrency-lab/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueRunReportSchema } from '@concurrency-lab/queue-runs';
import { startSystem, type RunningSystem } from './support/system.js';

/**
 * The lesson's run exactly as a new user makes it: POST /queue-runs with no
 * body (three items, 3 s pauses, the reader after the writer), at its real
 * timings, run after run on one reader with the shipped ack wait. It used to
 * come out wrong in some runs: the first item delivered into a pull the
 * paused reader no longer read, read last, half a minute late. About 2.5
 * minutes: a file of its own, so it runs beside the other specs.
 */
const RUNS = 10;

describe("the lesson's queue run, true every time", () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it(
    `after-writer at real timings, ${RUNS} runs in a row on one reader: order 1, 2, 3 and nothing redelivered`,
    { timeout: RUNS * 30_000 },
    async () => {
      const totals: number[] = [];
      const client = createCoordinatorClient({ baseUrl: system.baseUrl });
      for (let run = 1; run <= RUNS; run++) {
        // No body at all, as the README's curl sends it.
        // The client holds the answer to 200 (the one success the document gives); the schema checks every field.
        const body = queueRunReportSchema.parse(await client.queueRun());
        expect(body.readerStart).toBe('after-writer');
        const readOrder = [...body.timeline].sort((a, b) => a.readStartedAtMs - b.readStartedAtMs).map((entry) => entry.seq);
        expect(readOrder, `run ${run}`).toEqual([1, 2, 3]);
        expect(
          body.timeline.map((entry) => entry.deliveryCount),
          `run ${run}`,
        ).toEqual([1, 1, 1]);
        expect(body, `run ${run}`).toMatchObject({ redelivered: 0, handedBack: 0, reads: 3, readOnce: 3 });
        // Written 0, 3, 6 s; read 3 s each once the writer is done: about 15 s, never an ack wait (5 s) more.
        expect(body.totalMs, `run ${run}`).toBeLessThan(19_000);
        expect(body.itemsPerSecond).toBeGreaterThan(0);
        totals.push(body.totalMs);
      }
      console.info(`lesson runs: totalMs ${totals.join(', ')}`);
      // Nothing stalled, so nothing was explained as a stall: a paused reader is no dead one.
      expect(system.linesOfAll((line) => String(line.msg).startsWith('run waiting on items held by a reader'))).toEqual([]);
      expect(system.linesOfAll((line) => String(line.msg).startsWith('reading a redelivered item'))).toEqual([]);
    },
  );
});
