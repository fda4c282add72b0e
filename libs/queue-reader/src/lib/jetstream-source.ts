import type { Logger } from '@concurrency-lab/logger';
import {
  ensureReaderConsumer,
  hasTraceContext,
  PULL_EXPIRES_MS,
  QUEUE_STREAM,
  READER_CONSUMER,
  type ReaderObserver,
} from '@concurrency-lab/queue';
import { extractTraceContext } from '@concurrency-lab/tracing';
import type { Consumer, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchSize } from './batch-size.js';
import { HandOff } from './hand-off.js';
import { parseItem, type DeliveryHandle, type DeliveryTrace, type ItemSource } from './item-source.js';
import type { PauseGate } from './pause-gate.js';

/*
 * A pull cannot be withdrawn: it stays registered on the server until it is
 * filled or expires (PULL_EXPIRES_MS), even once the client stops iterating,
 * and an item the server puts into a pull nobody reads waits out the ack wait.
 * So this source never abandons a pull: it reads (or, stopping, hands back)
 * whatever each pull brings, and a pause only keeps it from opening the next.
 */

export interface JetStreamSourceOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  gate: PauseGate;
  logger: Logger;
  ackWaitMs: number;
  /** The consumer's replicas, when it has to be created again. */
  replicas: number;
  maxBatch: number;
  observer?: ReaderObserver;
}

/**
 * Items from the durable pull consumer all readers share. Every item this
 * reader holds (being read, or waiting its turn in a pulled batch) is kept
 * alive with an in-progress ack every third of the ack wait, so a read of any
 * length keeps its item, while a dead reader's items come back after one ack wait.
 */
export class JetStreamItemSource implements ItemSource {
  private stopping = false;
  private consumer: Consumer | undefined;
  private readonly batch: BatchSize;
  /** Delivered to this reader and neither acked nor handed back yet. */
  private readonly inHand = new Set<JsMsg>();

  constructor(private readonly options: JetStreamSourceOptions) {
    this.batch = new BatchSize(options.maxBatch);
  }

  async run(handle: DeliveryHandle): Promise<void> {
    const keepAlive = setInterval(() => this.keepAlive(), this.options.ackWaitMs / 3);
    try {
      while (!this.stopping) {
        if (!this.options.gate.isOpen) await this.options.gate.waitOpen();
        if (this.stopping) break;
        await this.pullOnce(handle);
      }
    } finally {
      clearInterval(keepAlive);
    }
  }

  async stop(): Promise<void> {
    // The open pull is left to expire; what it still brings is handed to `handle`, which hands it back.
    this.stopping = true;
  }

  private keepAlive(): void {
    for (const message of this.inHand) message.working();
  }

  /** One pull: its items taken off the client's buffer as they arrive (so the keep-alive covers them), handled in order. */
  private async pullOnce(handle: DeliveryHandle): Promise<void> {
    try {
      this.consumer ??= await this.options.js.consumers.get(QUEUE_STREAM, READER_CONSUMER);
      if (!this.options.gate.isOpen || this.stopping) return; // paused (or stopping) while looking the consumer up
      const asked = this.batch.size;
      const pull = await this.consumer.fetch({ max_messages: asked, expires: PULL_EXPIRES_MS });
      const arrived = new HandOff<JsMsg>();
      let received = 0;
      const receiving = (async () => {
        try {
          for await (const message of pull) {
            received++;
            this.inHand.add(message);
            arrived.push(message);
          }
        } finally {
          arrived.close();
        }
      })();
      // Awaited (and its error thrown) only after the items already here are handled: marked handled now, so
      // a pull failing meanwhile is not an unhandled rejection.
      receiving.catch(() => undefined);
      for await (const message of arrived) {
        const pending = this.take(message, handle);
        if (pending) await pending;
      }
      await receiving;
      // The queue ran dry: the next run's first pull starts small again, so no reader takes a batch of slow items.
      if (received < asked) this.batch.idle();
    } catch (error) {
      await this.recover(error);
    }
  }

  /** Hands one message on; returns a promise only when the handler has to wait. */
  private take(message: JsMsg, handle: DeliveryHandle): Promise<void> | undefined {
    const started = performance.now();
    const done = () => {
      this.inHand.delete(message);
      this.batch.handled(performance.now() - started);
    };
    const notAcked = (error: unknown) => this.options.logger.error({ err: error }, 'item not acknowledged; JetStream will redeliver it');
    let pending: Promise<void> | undefined;
    try {
      const item = parseItem(message, this.options.logger, this.options.observer);
      if (!item) message.term();
      else
        pending = handle({
          item,
          deliveryCount: message.info.deliveryCount,
          transport: 'jetstream',
          canHandBack: true,
          ack: () => message.ack(),
          handBack: () => message.nak(),
          // Only a traced item (the first of its run) carries a context; the others cost this one look-up.
          trace: hasTraceContext(message) ? traceOf(message) : undefined,
        });
    } catch (error) {
      notAcked(error);
    }
    if (!pending) {
      done();
      return undefined;
    }
    return pending.catch(notAcked).finally(done);
  }

  private async recover(error: unknown): Promise<void> {
    if (this.stopping) return;
    const reason = error instanceof Error ? error.message : String(error);
    // "no responders": no server answers for the consumer right now (its node down, a new leader not elected yet).
    const waitingFor = /no responders/i.test(reason)
      ? `consumer ${READER_CONSUMER} to answer again (a NATS node down, or its leader being elected)`
      : undefined;
    this.options.logger.warn({ reason, ...(waitingFor && { waitingFor }) }, 'fetch failed; retrying');
    if (/consumer (not found|deleted)/i.test(reason)) {
      await ensureReaderConsumer(this.options.jsm, this.options.ackWaitMs, this.options.replicas).catch(() => undefined);
      this.consumer = undefined;
    }
    await sleep(500);
  }
}

function traceOf(message: JsMsg): DeliveryTrace {
  return { context: extractTraceContext(message.headers), storedAtMs: Math.floor(message.info.timestampNanos / 1e6) };
}
