import type { LocalSystem, ServiceProcess } from '@concurrency-lab/local-system';
import { findElements, parseXml, waitFor } from '@concurrency-lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startSystem } from './support/system.js';

/** GET as JSON, with the status. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/** A chart's SVG, checked to be one, and its bars. */
async function chartBars(url: string, runId: string): Promise<number> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
  const svg = parseXml(await response.text());
  expect(svg.attributes['data-run-id']).toBe(runId);
  return findElements(svg, (element) => element.attributes['class'] === 'bar').length;
}

/** Waits until a coordinator answers a run from the records in the given state (its record is written just after the run ends). */
function answered(url: string, status: string) {
  return waitFor(
    `${url} ${status}`,
    async () => {
      const { body } = await getJson(url);
      return body.status === status ? body : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 100 },
  );
}

const SIMULATION = {
  mode: 'compare',
  modes: ['sequential', 'async'],
  tasks: [
    { name: 'a', durationMs: 50 },
    { name: 'b', durationMs: 80 },
  ],
};
const HOLD = { mode: 'async', tasks: [{ name: 'hold', durationMs: 60_000 }], waitMs: 0 };

/**
 * Run records in the bucket lab-runs, with real processes: two coordinators
 * on one NATS each answer the other's runs, and a coordinator killed and
 * started again still answers what it ran before, charts included.
 */
describe('run records that outlive a coordinator', () => {
  let system: LocalSystem;
  let second: ServiceProcess;
  const urlOf = (coordinator: ServiceProcess) => system.urlOf(coordinator);

  beforeAll(async () => {
    system = await startSystem();
    second = await system.startService('coordinator');
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** A simulation and a queue run on one coordinator: their ids. */
  async function runBoth(coordinator: ServiceProcess): Promise<{ simulation: string; queue: string }> {
    const simulation = await postJson(`${urlOf(coordinator)}/simulations`, SIMULATION);
    expect(simulation.status).toBe(201);
    const queue = await postJson(`${urlOf(coordinator)}/queue-runs`, { items: ['x', 'y', 'z'], writeDelayMs: 0, readDelayMs: 0 });
    expect(queue.status).toBe(200);
    return { simulation: simulation.body.runId, queue: queue.body.runId };
  }

  /** What a coordinator answers for runs another ran: the runs from their records, and their charts. */
  async function expectAnswers(coordinator: ServiceProcess, runs: { simulation: string; queue: string }, ranBy: number) {
    const base = urlOf(coordinator);
    const simulation = await answered(`${base}/simulations/${runs.simulation}`, 'finished');
    expect(simulation).toMatchObject({ id: runs.simulation, modes: ['sequential', 'async'], tasks: 2, report: { runId: runs.simulation } });
    expect(simulation.recordedBy.pid).toBe(ranBy);
    expect(await chartBars(`${base}/simulations/${runs.simulation}/timeline.svg`, runs.simulation)).toBe(4);
    const queue = await answered(`${base}/queue-runs/${runs.queue}`, 'finished');
    expect(queue).toMatchObject({ runId: runs.queue, items: 3, report: { runId: runs.queue, items: 3, reads: 3 } });
    expect(queue.recordedBy.pid).toBe(ranBy);
    expect(await chartBars(`${base}/queue-runs/${runs.queue}/timeline.svg`, runs.queue)).toBeGreaterThan(0);
  }

  it('two coordinators on one NATS each answer for the runs the other started, charts included', async () => {
    const first = system.services.coordinator;
    const ranByFirst = await runBoth(first);
    const ranBySecond = await runBoth(second);
    await expectAnswers(second, ranByFirst, first.pid);
    await expectAnswers(first, ranBySecond, second.pid);
    // A run still going on the first is running on the second too, and says where.
    const held = await postJson(`${urlOf(first)}/simulations`, HOLD);
    expect(held.status).toBe(202);
    const elsewhere = await answered(`${urlOf(second)}/simulations/${held.body.id}`, 'running');
    expect(elsewhere.recordedBy).toMatchObject({ pid: first.pid });
    expect((await fetch(`${urlOf(second)}/simulations/${held.body.id}`, { method: 'DELETE' })).status).toBe(409);
    // The first is killed mid-run: nobody can end that record, so it stays running, naming its dead coordinator.
    await system.killService(first);
    const stale = await getJson(`${urlOf(second)}/simulations/${held.body.id}`);
    expect(stale.body).toMatchObject({ status: 'running', recordedBy: { pid: first.pid } });
  });

  it('a coordinator killed and started again still answers its earlier runs and their charts', async () => {
    const before = await runBoth(second);
    const held = await postJson(`${urlOf(second)}/simulations`, HOLD);
    await answered(`${urlOf(second)}/simulations/${held.body.id}`, 'running');
    await answered(`${urlOf(second)}/simulations/${before.simulation}`, 'finished');
    await system.killService(second);
    const restarted = await system.startService('coordinator');
    await expectAnswers(restarted, before, second.pid);
    const list = await getJson(`${urlOf(restarted)}/simulations`);
    expect(list.body.runs).toEqual([]); // the list is this process's runs only; GET by id reaches the records
    // Stopped gracefully, a coordinator records how its runs ended before it goes: cancelled, not left running.
    const cancelledLater = await postJson(`${urlOf(restarted)}/simulations`, HOLD);
    const again = await system.restartService(restarted);
    expect((await getJson(`${urlOf(again)}/simulations/${cancelledLater.body.id}`)).body).toMatchObject({
      status: 'cancelled',
      recordedBy: { pid: restarted.pid },
    });
    await expectAnswers(again, before, second.pid);
    // Every record written and read within the coordinator's NATS permissions.
    expect(system.linesOfAll((line) => line.msg === 'NATS permission denied')).toEqual([]);
  });
});
