import { decodeMessage, encodeMessage } from '@concurrency-lab/nats';
import { epochNow } from '@concurrency-lab/clock';
import type { Logger } from '@concurrency-lab/logger';
import { burnCpu } from '@concurrency-lab/simulation';
import { jetstream, type Consumer, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { RequestError, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { extractTraceContext, inSpan, messagingAttributes } from '@concurrency-lab/tracing';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CANCEL_SUBSCRIPTION,
  DOWNLOADER_CONSUMER,
  DOWNLOADS_STREAM,
  downloadTaskSchema,
  PING_SUBJECT,
  runEventSubject,
  runIdOfCancelSubject,
  type DownloadEvent,
  type DownloadTaskMessage,
  type PingReply,
} from './protocol.js';
import { TASK_ACK_WAIT_MS, TASK_PULL_EXPIRES_MS } from './settings.js';
import { ensureDownloaderConsumer } from './setup.js';

/** What a downloader's metrics (or a test) hear of its work. */
export interface DownloaderObserver {
  taskStarted(attempt: number): void;
  /** `outcome`: done, cancelled (its run was), handed-back (this downloader was stopping), expired (past its deadline), failed. */
  taskEnded(outcome: TaskOutcome): void;
}
export type TaskOutcome = 'done' | 'cancelled' | 'handed-back' | 'expired' | 'failed';

export interface DownloaderOptions {
  nc: NatsConnection;
  jsm: JetStreamManager;
  logger: Logger;
  /** Tasks at once: the downloader pulls only for a free slot, so this bound is real. */
  concurrency: number;
  /** This machine's cpu calibration, for the cpu workload. */
  iterationsPerMs: number;
  replicas?: number;
  observer?: DownloaderObserver;
  /** How long the answer to a finish may take before the task is handed back to be run again. */
  finishReplyTimeoutMs?: number;
}

export interface Downloader {
  readonly host: string;
  /** Tasks running now. */
  readonly running: number;
  /** Stops pulling, hands the tasks in flight back to the queue (for another downloader at once), and waits for the slots to end. */
  stop(): Promise<void>;
}

/** Cancelled runs are remembered this long: their queued tasks are dropped when they come. */
const CANCELLED_MEMORY_MS = 60 * 60 * 1000;

interface RunningTask {
  task: DownloadTaskMessage;
  message: JsMsg;
  abort: AbortController;
}

/**
 * Starts a downloader: it runs up to `concurrency` tasks at once, and pulls
 * one task at a time, only while a slot is free. One pull open per downloader
 * (not one per slot) makes JetStream, which serves open pulls in turn, hand a
 * run's tasks round the downloaders: the lesson's two downloads go to two of them.
 */
export async function startDownloader(options: DownloaderOptions): Promise<Downloader> {
  const worker = new DownloaderWorker(options);
  await worker.start();
  return worker;
}

class DownloaderWorker implements Downloader {
  readonly host = hostname();
  private stopping = false;
  private readonly inFlight = new Set<RunningTask>();
  private readonly cancelled = new Map<string, number>();
  private readonly subscriptions: Subscription[] = [];
  private pulling: Promise<void> = Promise.resolve();
  /** The tasks taken and not yet ended, each settling when its slot is free again. */
  private readonly taken = new Set<Promise<void>>();
  private slotFreed: (() => void) | undefined;
  private consumer: Consumer | undefined;

  constructor(private readonly options: DownloaderOptions) {}

  get running(): number {
    return this.inFlight.size;
  }

  async start(): Promise<void> {
    const { nc } = this.options;
    this.subscriptions.push(
      nc.subscribe(PING_SUBJECT, { callback: (_error, message) => void message.respond(encodeMessage(this.pingReply())) }),
      nc.subscribe(CANCEL_SUBSCRIPTION, { callback: (_error, message) => this.cancelRun(runIdOfCancelSubject(message.subject)) }),
    );
    await nc.flush();
    this.pulling = this.pull();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const running of this.inFlight) running.abort.abort('handed-back');
    this.slotFreed?.();
    await this.pulling;
    await Promise.all(this.taken);
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  private pingReply(): PingReply {
    return { host: this.host, pid: process.pid, concurrency: this.options.concurrency, running: this.inFlight.size };
  }

  private cancelRun(runId: string): void {
    const now = Date.now();
    for (const [id, at] of this.cancelled) if (now - at > CANCELLED_MEMORY_MS) this.cancelled.delete(id);
    this.cancelled.set(runId, now);
    for (const running of this.inFlight) if (running.task.runId === runId) running.abort.abort('cancelled');
  }

  /**
   * One pull open at a time, for as many tasks as it has free slots; each task
   * runs in its slot as it comes. JetStream serves open pulls in turn, one
   * message each, so a run's tasks go round the downloaders.
   */
  private async pull(): Promise<void> {
    while (!this.stopping) {
      const free = this.options.concurrency - this.taken.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        continue;
      }
      try {
        this.consumer ??= await jetstream(this.options.nc).consumers.get(DOWNLOADS_STREAM, DOWNLOADER_CONSUMER);
        const batch = await this.consumer.fetch({ max_messages: free, expires: TASK_PULL_EXPIRES_MS });
        for await (const message of batch) {
          // A pull cannot be withdrawn: what it brings after a stop goes back at once, for another downloader.
          if (this.stopping) this.quietly(() => message.nak());
          else this.runInSlot(message);
        }
      } catch (error) {
        await this.recover(error);
      }
    }
  }

  private runInSlot(message: JsMsg): void {
    const slot: Promise<void> = this.take(message)
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'download slot failed'))
      .finally(() => {
        this.taken.delete(slot);
        this.slotFreed?.();
      });
    this.taken.add(slot);
  }

  private async recover(error: unknown): Promise<void> {
    if (this.stopping) return;
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.warn({ reason }, 'pull failed; retrying');
    if (/consumer (not found|deleted)/i.test(reason)) {
      await ensureDownloaderConsumer(this.options.jsm, this.options.replicas).catch(() => undefined);
      this.consumer = undefined;
    }
    await sleep(500);
  }

  private async take(message: JsMsg): Promise<void> {
    let task: DownloadTaskMessage;
    try {
      task = decodeMessage(downloadTaskSchema, message.data);
    } catch (error) {
      this.options.logger.error({ err: error, subject: message.subject }, 'malformed task dropped');
      this.quietly(() => message.term('malformed'));
      return;
    }
    const attempt = message.info.deliveryCount;
    const logger = this.options.logger.child({ runId: task.runId, file: task.name, index: task.index, attempt });
    if (this.cancelled.has(task.runId)) {
      this.quietly(() => message.term('run cancelled'));
      logger.info('download dropped: its run was cancelled');
      return this.options.observer?.taskEnded('cancelled');
    }
    if (epochNow() > task.deadline) {
      this.quietly(() => message.term('deadline passed'));
      this.report({ type: 'failed', ...this.who(task, attempt), reason: `its deadline passed before it could start (attempt ${attempt})` });
      logger.warn('download dropped: its deadline passed');
      return this.options.observer?.taskEnded('expired');
    }
    await this.runTraced(message, () => this.runTask({ task, message, abort: new AbortController() }, attempt, logger));
  }

  /** Runs a task inside a CONSUMER span under the coordinator's task span, when the message carries one (the coordinator traces). */
  private runTraced(message: JsMsg, work: () => Promise<void>): Promise<void> {
    const parent = extractTraceContext(message.headers, ROOT_CONTEXT);
    if (!trace.getSpanContext(parent)) return work();
    const attributes = messagingAttributes({
      operation: 'process',
      operationName: 'process',
      destination: message.subject,
      consumerGroup: DOWNLOADER_CONSUMER,
      messageId: `${message.info.stream}:${message.seq}`,
    });
    attributes['lab.attempt'] = message.info.deliveryCount;
    return inSpan(`process ${DOWNLOADS_STREAM}`, { kind: SpanKind.CONSUMER, attributes }, work, parent);
  }

  private who(task: DownloadTaskMessage, attempt: number) {
    return { runId: task.runId, index: task.index, host: this.host, pid: process.pid, attempt };
  }

  private async runTask(running: RunningTask, attempt: number, logger: Logger): Promise<void> {
    const { task, message, abort } = running;
    this.inFlight.add(running);
    // Still working: JetStream gives a silent task to another downloader after the ack wait.
    const keepAlive = setInterval(() => this.quietly(() => message.working()), TASK_ACK_WAIT_MS / 3);
    this.options.observer?.taskStarted(attempt);
    try {
      const startedAt = epochNow();
      this.report({ type: 'started', ...this.who(task, attempt), startedAt });
      logger.info({ workload: task.workload }, 'download started');
      try {
        await this.work(task, abort.signal);
      } catch {
        return this.stopped(running, logger);
      }
      const finishedAt = epochNow();
      logger.info({ workload: task.workload, ms: Math.round(finishedAt - startedAt) }, 'download finished');
      await this.finish(message, { type: 'finished', ...this.who(task, attempt), startedAt, finishedAt }, logger);
    } finally {
      clearInterval(keepAlive);
      this.inFlight.delete(running);
    }
  }

  private async work(task: DownloadTaskMessage, signal: AbortSignal): Promise<void> {
    if (task.workload === 'cpu') await burnCpu(task.durationMs, this.options.iterationsPerMs, signal);
    else await sleep(task.durationMs, undefined, { signal });
  }

  /** A task cut short: its run was cancelled (dropped for good), or this downloader is stopping (handed back). */
  private stopped({ message, abort }: RunningTask, logger: Logger): void {
    if (abort.signal.reason === 'cancelled') {
      this.quietly(() => message.term('run cancelled'));
      logger.info('download cancelled');
      this.options.observer?.taskEnded('cancelled');
    } else {
      this.quietly(() => message.nak());
      logger.info('download handed back: this downloader is stopping');
      this.options.observer?.taskEnded('handed-back');
    }
  }

  /** Tells the run its task finished and acks it once the run has it; with nobody to tell, the run is gone. */
  private async finish(message: JsMsg, event: DownloadEvent, logger: Logger): Promise<void> {
    try {
      await this.options.nc.request(runEventSubject(event.runId), encodeMessage(event), {
        timeout: this.options.finishReplyTimeoutMs ?? 5_000,
      });
      this.quietly(() => message.ack());
      this.options.observer?.taskEnded('done');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof RequestError && error.isNoResponders()) {
        this.quietly(() => message.term('run gone'));
        logger.warn('download finished but its run is gone: nobody to report to');
      } else {
        this.quietly(() => message.nak());
        logger.warn({ reason }, 'download finished but the run did not answer; handed back to run again');
      }
      this.options.observer?.taskEnded('failed');
    }
  }

  private report(event: DownloadEvent): void {
    this.quietly(() => this.options.nc.publish(runEventSubject(event.runId), encodeMessage(event)));
  }

  /**
   * An ack, nak, term or publish on a connection that is gone throws; the task
   * then comes back to another downloader after the ack wait anyway, so the
   * slot goes on (or ends) instead of failing.
   */
  private quietly(settle: () => void): void {
    try {
      settle();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not tell NATS; JetStream redelivers the task after its ack wait');
    }
  }
}
