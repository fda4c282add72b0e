import { AckPolicy, DeliverPolicy, DiscardPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { performance } from 'node:perf_hooks';

/** A stream of its own, on subjects the project's LAB_QUEUE does not use, removed afterwards. */
const ANCHOR_STREAM = 'BENCH_ANCHOR';
const ANCHOR_SUBJECT = 'bench.anchor.items';
const ANCHOR_CONSUMER = 'bench-anchor';

export interface JetStreamAnchorResult {
  /** Pipelined publish: at most `window` acks outstanding. */
  publishPerSec: number;
  /** A pull consumer's consume(), each message acked, until every one has arrived and the acks are flushed. */
  consumePerSec: number;
}

function payloadOf(bytes: number): Uint8Array {
  return new TextEncoder().encode('x'.repeat(bytes));
}

function rate(count: number, startedAt: number): number {
  return count / ((performance.now() - startedAt) / 1000);
}

/** A NATS user and password (deploy/env/<service>.env), for a server with the shipped config. */
export interface NatsCredentials {
  user: string;
  pass: string;
}

async function withConnection<T>(
  url: string,
  name: string,
  work: (nc: NatsConnection) => Promise<T>,
  credentials?: NatsCredentials,
): Promise<T> {
  const nc = await connect({ servers: url, name, reconnect: false, ...credentials });
  try {
    return await work(nc);
  } finally {
    await nc.close();
  }
}

export interface CorePubSubOptions {
  /** bench.core by default; the shipped users may use only the lab's subjects. */
  subject?: string;
  /** A queue group for the subscription (the shipped reader may subscribe to core items only in `readers`). */
  queue?: string;
  publisher?: NatsCredentials;
  subscriber?: NatsCredentials;
  timeoutMs?: number;
}

/**
 * Core NATS: one connection publishes `messages` payloads, another receives
 * them; messages per second from the first publish to the last arrival.
 * Publishes are flushed every 1,000 so a burst cannot outrun the subscriber.
 */
export async function corePubSub(url: string, messages: number, payloadBytes: number, options: CorePubSubOptions = {}): Promise<number> {
  const { subject = 'bench.core', queue, timeoutMs = 60_000 } = options;
  return withConnection(
    url,
    'bench-core-sub',
    (sub) =>
      withConnection(
        url,
        'bench-core-pub',
        async (pub) => {
          let received = 0;
          let lastAt = 0;
          let done: () => void = () => undefined;
          const all = new Promise<void>((resolve) => (done = resolve));
          sub.subscribe(subject, {
            ...(queue ? { queue } : {}),
            callback: () => {
              received++;
              if (received === messages) {
                lastAt = performance.now();
                done();
              }
            },
          });
          await sub.flush();
          const payload = payloadOf(payloadBytes);
          const startedAt = performance.now();
          for (let i = 1; i <= messages; i++) {
            pub.publish(subject, payload);
            if (i % 1_000 === 0) await pub.flush();
          }
          await pub.flush();
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
          await Promise.race([all, late]);
          clearTimeout(timer);
          if (received < messages) throw new Error(`core pub/sub: ${received} of ${messages} messages arrived within ${timeoutMs} ms`);
          return messages / ((lastAt - startedAt) / 1000);
        },
        options.publisher,
      ),
    options.subscriber,
  );
}

export interface ShippedConfigCost {
  /** Messages per second without users or permissions. */
  barePerSec: number;
  /** The same with the shipped config: as the writer user, to a reader user in the readers' queue group. */
  shippedPerSec: number;
}

/**
 * What the shipped config (users, bcrypt passwords, per-subject permissions)
 * costs raw nats.js: the same core pub/sub, on the lab's core-items subject
 * in the readers' queue group, against a bare nats-server and one with
 * deploy/nats/nats.conf (no services on either). Each is measured `rounds`
 * times, alternating and taking turns at going first, and the best of each
 * kept, so a moment of load on the machine does not pass for a cost of the
 * config. Passwords are checked once,
 * at connect, outside the timing: what remains is the permission checks.
 */
export async function shippedConfigCost(
  bareUrl: string,
  shipped: { url: string; writer: NatsCredentials; reader: NatsCredentials },
  messages: number,
  payloadBytes: number,
  rounds = 2,
): Promise<ShippedConfigCost> {
  const same = { subject: 'lab.core.items.bench-config-cost', queue: 'readers' };
  let barePerSec = 0;
  let shippedPerSec = 0;
  const asServices = { ...same, publisher: shipped.writer, subscriber: shipped.reader };
  const measureBare = async () => void (barePerSec = Math.max(barePerSec, await corePubSub(bareUrl, messages, payloadBytes, same)));
  const measureShipped = async () =>
    void (shippedPerSec = Math.max(shippedPerSec, await corePubSub(shipped.url, messages, payloadBytes, asServices)));
  // Each goes first every other round, so neither gains from the machine warming up.
  for (let round = 0; round < rounds; round++) {
    const [first, second] = round % 2 === 0 ? [measureBare, measureShipped] : [measureShipped, measureBare];
    await first();
    await second();
  }
  return { barePerSec, shippedPerSec };
}

/**
 * JetStream with the project's stream kind (work-queue retention, file
 * storage): publish `messages` payloads pipelined with at most `window` acks
 * outstanding, then consume them all with a pull consumer, acking each.
 */
export async function jetStreamAnchor(
  url: string,
  messages: number,
  payloadBytes: number,
  window: number,
  timeoutMs = 120_000,
): Promise<JetStreamAnchorResult> {
  return withConnection(url, 'bench-jetstream', async (nc) => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(ANCHOR_STREAM).catch(() => false);
    await jsm.streams.add({
      name: ANCHOR_STREAM,
      subjects: [ANCHOR_SUBJECT],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      discard: DiscardPolicy.New,
      num_replicas: 1,
    });
    try {
      const js = jetstream(nc, { timeout: 10_000 });
      const payload = payloadOf(payloadBytes);
      const deadline = Date.now() + timeoutMs;

      // Pipelined publish: a bounded window of outstanding acks.
      const inFlight = new Set<Promise<void>>();
      let failure: unknown;
      const publishStart = performance.now();
      for (let i = 0; i < messages && failure === undefined; i++) {
        const ack: Promise<void> = js.publish(ANCHOR_SUBJECT, payload).then(
          () => void inFlight.delete(ack),
          (error: unknown) => {
            failure ??= error;
            inFlight.delete(ack);
          },
        );
        inFlight.add(ack);
        if (inFlight.size >= window) await Promise.race(inFlight);
        if (Date.now() > deadline) throw new Error(`JetStream publish: not done within ${timeoutMs} ms`);
      }
      await Promise.all(inFlight);
      if (failure !== undefined) throw failure;
      const publishPerSec = rate(messages, publishStart);

      // Consume with ack.
      await jsm.consumers.add(ANCHOR_STREAM, {
        durable_name: ANCHOR_CONSUMER,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        max_ack_pending: 10_000,
      });
      const consumer = await js.consumers.get(ANCHOR_STREAM, ANCHOR_CONSUMER);
      const consumeStart = performance.now();
      const stream = await consumer.consume({ max_messages: 1_000 });
      const timer = setTimeout(() => void stream.stop(), Math.max(1, deadline - Date.now()));
      let received = 0;
      try {
        for await (const message of stream) {
          message.ack();
          if (++received === messages) break;
        }
      } finally {
        clearTimeout(timer);
        await stream.close();
      }
      await nc.flush();
      if (received < messages) throw new Error(`JetStream consume: ${received} of ${messages} messages within ${timeoutMs} ms`);
      return { publishPerSec, consumePerSec: rate(messages, consumeStart) };
    } finally {
      await jsm.streams.delete(ANCHOR_STREAM).catch(() => false);
    }
  });
}
