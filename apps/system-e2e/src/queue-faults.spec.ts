import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEveryItemOnce, items, readsLogged, type Entry } from './support/queue-answers.js';
import { readyz } from './support/readiness.js';
import { postJson, startSystem, type RunningSystem } from './support/system.js';

const ACK_WAIT_MS = 2_000;

describe('the queue under faults, with real processes', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    // A short ack wait, so an item held by a dead reader comes back within the test.
    system = await startSystem({ reader: { ACK_WAIT_MS: String(ACK_WAIT_MS) } });
  });
  afterAll(async () => {
    await system?.stop();
  });
  const queueRun = (body: unknown) => postJson(`${system.baseUrl}/queue-runs`, body);

  it('several readers share the durable consumer: each item read once, the timeline says by whom', async () => {
    const [second, third] = await Promise.all([system.startService('reader'), system.startService('reader')]);
    const expected = items(30, 'shared');
    const { status, body } = await queueRun({ items: expected, writeDelayMs: 0, readDelayMs: 100, readerStart: 'concurrent' });
    expect(status).toBe(200);
    expectEveryItemOnce(body.timeline, expected);
    const pids = new Set(body.timeline.map((entry: Entry) => entry.readerPid));
    expect(pids).toEqual(new Set([system.services.reader.pid, second.pid, third.pid]));
    expect(body.readers.reduce((sum: number, reader: { items: number }) => sum + reader.items, 0)).toBe(30);

    // No fault, three readers, 200 items: every item delivered once, both reader starts.
    for (const readerStart of ['concurrent', 'after-writer']) {
      const many = items(200, `healthy-${readerStart}`);
      const healthy = await queueRun({ items: many, writeDelayMs: 10, readDelayMs: 100, readerStart });
      expect(healthy.status).toBe(200);
      expectEveryItemOnce(healthy.body.timeline, many);
      expect(healthy.body, readerStart).toMatchObject({ redelivered: 0, handedBack: 0, reads: 200, readOnce: 200, readAgain: 0 });
      expect(healthy.body.timeline.filter((entry: Entry) => entry.deliveryCount !== 1)).toEqual([]);
      expect(healthy.body.readers).toHaveLength(3);
      expect(
        system.linesOfAll(
          (line) => line['runId'] === healthy.body.runId && /^(run waiting on items|reading a redelivered item)/.test(String(line.msg)),
        ),
      ).toEqual([]);
    }
    await Promise.all([second.stop(), third.stop()]);
  });

  it('restart nats-server mid-run on the same store: the run completes, nothing lost, and the logs agree with the answer', async () => {
    const second = await system.startService('reader');
    const expected = items(20, 'restart');
    const running = queueRun({ items: expected, writeDelayMs: 50, readDelayMs: 100, readerStart: 'concurrent' });
    const readSoFar = () => system.linesOfAll((line) => line.msg === 'item read' && String(line['item']).startsWith('restart-')).length;
    await expect.poll(readSoFar, { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(4);
    await system.nats.restart();
    const { status, body } = await running;
    expect(status).toBe(200);
    expectEveryItemOnce(body.timeline, expected);
    // Every "item read" line is a read the answer counts, and the other way round.
    const logged = readsLogged(
      system.linesOfAll(() => true),
      body.runId,
    );
    const unconfirmed = system.linesOfAll(
      (line) => line.msg === 'reads not confirmed reported; their items will be redelivered' && line['runId'] === body.runId,
    );
    for (const entry of body.timeline as Entry[]) {
      const lines = logged.get(entry.seq) ?? 0;
      if (unconfirmed.length === 0) expect(lines, `seq ${entry.seq}`).toBe(entry.reads);
      else expect(lines, `seq ${entry.seq}`).toBeLessThanOrEqual(entry.reads); // a report stored, its ack lost: counted, not logged as read
    }
    expect(body.reads).toBe(body.timeline.reduce((sum: number, entry: Entry) => sum + entry.reads, 0));
    expect(body.readOnce + body.readAgain).toBe(20);
    await second.stop();
    for (const service of [system.services.coordinator, system.services.writer, system.services.reader]) {
      await service.waitForLine((line) => line.msg === 'reconnected to NATS');
    }
  });

  it('kill -9 the writer mid-run: the run fails saying how much was written, and a retry duplicates nothing', async () => {
    const expected = items(10, 'retry');
    const body = { items: expected, writeDelayMs: 300, readDelayMs: 0 };
    const running = queueRun(body);
    await system.services.writer.waitForLine((line) => line.msg === 'item written' && line['item'] === 'retry-3');
    system.services.writer.child.kill('SIGKILL');
    const failed = await running;
    expect(failed.status).toBe(502);
    expect(failed.contentType).toContain('application/problem+json');
    expect(failed.body).toMatchObject({ failure: 'writer-failed', items: 10 });
    expect(failed.body.written).toBeGreaterThanOrEqual(3);
    expect(failed.body.written).toBeLessThan(10);

    system.services.writer = await system.startService('writer');
    const retried = await queueRun({ ...body, writeDelayMs: 0, runId: failed.body.runId });
    expect(retried.status).toBe(200);
    expect(retried.body.runId).toBe(failed.body.runId);
    expectEveryItemOnce(retried.body.timeline, expected);
    expect(retried.body.alreadyStored).toBe(failed.body.written);
    expect(retried.body.duplicateReads).toBe(0);
  });

  it('while nats-server is down every service answers /readyz 503 naming nats, and is ready again once it is back', async () => {
    const urls = Object.values(system.services).map((service) => system.urlOf(service));
    const answers = () => Promise.all(urls.map((url) => readyz(url).then(({ status, body }) => ({ status, failing: body.failing ?? [] }))));
    const allReady = urls.map(() => 200); // every service: coordinator, writer, reader, downloader
    expect((await answers()).map((answer) => answer.status)).toEqual(allReady);
    await system.nats.kill();
    await expect
      .poll(async () => (await answers()).every((answer) => answer.status === 503 && answer.failing.includes('nats')), {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(true);
    // Down but alive: a liveness probe must not restart a service for what NATS does.
    for (const url of urls) expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await system.nats.restart();
    await expect.poll(async () => (await answers()).map((answer) => answer.status), { timeout: 30_000, interval: 200 }).toEqual(allReady);
  });

  it('needed no subject its NATS user may not use, through crashes and a NATS restart', () => {
    // A replaced ordered consumer, a recreated durable one, redeliveries: all within deploy/nats/nats.conf.
    expect(system.linesOfAll((line) => line.msg === 'NATS permission denied')).toEqual([]);
  });
});
