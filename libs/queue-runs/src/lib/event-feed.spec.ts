import { connectToNats, drainNats } from '@concurrency-lab/nats';
import { openQueue, runEventsFilter } from '@concurrency-lab/queue';
import { captureLogs, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventFeed } from './event-feed.js';

describe('the run-events feed over a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  const { logger, lines } = captureLogs('event-feed-spec', 'debug');

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ servers: server.url, name: 'event-feed-spec', logger });
    ({ js } = await openQueue(nc, 'reader', { ackWaitMs: 2_000 }));
  });
  afterAll(async () => {
    await drainNats(nc, logger);
    await server?.stop();
  });

  it('opened, then read only after a pause longer than two heartbeats (as for after-writer): no consumer replaced, nothing missed', async () => {
    const runId = randomUUID();
    const feed = await new EventFeed(js, nc, runEventsFilter(runId), logger).open();
    // What pausing the readers costs a run before it reads its events: nats.js counts missed heartbeats meanwhile.
    await sleep(2_500);
    const iterator = feed[Symbol.asyncIterator]();
    const first = iterator.next();
    // The run's first event comes seconds later (the first read): long enough for a stale miss to be reported (the monitor ticks every second).
    await sleep(1_500);
    await js.publish(`lab.events.${runId}.reads`, new TextEncoder().encode('{}'));
    const event = await first;
    expect(event.done).toBe(false);
    expect(event.value?.subject).toBe(`lab.events.${runId}.reads`);
    feed.stop();
    expect(lines.filter((line) => String(line['msg']).includes('replacing the consumer'))).toEqual([]);
  });
});
