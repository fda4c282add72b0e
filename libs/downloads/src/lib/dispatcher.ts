import { decodeMessage, encodeMessage } from '@concurrency-lab/nats';
import type { Logger } from '@concurrency-lab/logger';
import {
  announce,
  ModeUnavailableError,
  TaskFailedError,
  type DownloadTask,
  type ModeContext,
  type TaskDispatcher,
  type TaskTiming,
} from '@concurrency-lab/simulation';
import { epochNow } from '@concurrency-lab/clock';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { injectTraceContext } from '@concurrency-lab/tracing';
import {
  cancelSubject,
  downloadEventSchema,
  PING_SUBJECT,
  pingReplySchema,
  runEventSubject,
  taskMessageId,
  taskSubject,
  type DownloadEvent,
  type DownloadTaskMessage,
} from './protocol.js';

/** How long a probe waits for the first downloader to answer: a distributed run with none fails this quickly (a 503). */
export const PROBE_TIMEOUT_MS = 2_000;
/** After the first answer, how long a probe waits for more (their slots add up to the run's parallelism). */
const PROBE_STALL_MS = 100;
/**
 * A run fails once no downloader has said anything about any of its tasks for
 * its longest task plus this long: its downloaders are gone (or the task was
 * given up after its last delivery), and the failure names the tasks not done.
 */
export const STALL_GRACE_MS = 10_000;
/** How much later than it could possibly start a task may still start: past its deadline it is dropped, never run late. */
const DEADLINE_GRACE_MS = 60_000;

export interface DispatcherOptions {
  nc: NatsConnection;
  logger: Logger;
  probeTimeoutMs?: number;
  stallGraceMs?: number;
}

/** The coordinator's side of distributed mode: hands a run's tasks to the downloaders over NATS and follows them. */
export class NatsTaskDispatcher implements TaskDispatcher {
  capacity = 0;
  private readonly js: JetStreamClient;
  private readonly probeTimeoutMs: number;
  private readonly stallGraceMs: number;

  constructor(private readonly options: DispatcherOptions) {
    this.js = jetstream(options.nc);
    this.probeTimeoutMs = options.probeTimeoutMs ?? PROBE_TIMEOUT_MS;
    this.stallGraceMs = options.stallGraceMs ?? STALL_GRACE_MS;
  }

  async probe(): Promise<number> {
    let downloaders = 0;
    let capacity = 0;
    try {
      const replies = await this.options.nc.requestMany(PING_SUBJECT, undefined, {
        strategy: 'stall',
        stall: PROBE_STALL_MS,
        maxWait: this.probeTimeoutMs,
      });
      for await (const reply of replies) {
        const answer = pingReplySchema.safeParse(safeJson(reply));
        if (!answer.success) continue; // a no-responders status, or not a downloader
        downloaders++;
        capacity += answer.data.concurrency;
      }
    } catch (error) {
      this.options.logger.debug({ err: error }, 'downloader probe ended early');
    }
    if (downloaders === 0) {
      throw new ModeUnavailableError(
        'distributed',
        'downloader',
        `no downloader answered on ${PING_SUBJECT} within ${this.probeTimeoutMs} ms: start at least one downloader service (apps/downloader) on this NATS`,
      );
    }
    this.capacity = capacity;
    return capacity;
  }

  async run(tasks: readonly DownloadTask[], context: ModeContext): Promise<TaskTiming[]> {
    const { nc } = this.options;
    const longest = Math.max(0, ...tasks.map((task) => task.durationMs));
    const tracker = new RunTracker(tasks, context, longest + this.stallGraceMs);
    const subscription = nc.subscribe(runEventSubject(context.runId), { callback: (_error, message) => tracker.receive(message) });
    try {
      // No flush needed: the server takes this connection's SUB before its publishes, so before any task can start.
      const total = tasks.reduce((sum, task) => sum + task.durationMs, 0);
      // Even run one after another on one slot, every task could start by then.
      const deadline = epochNow() + total + DEADLINE_GRACE_MS;
      await Promise.all(tasks.map((task, index) => this.publish(context, task, index, deadline)));
      context.logger.info({ tasks: tasks.length, capacity: this.capacity }, 'tasks handed to downloaders');
      return await tracker.done;
    } catch (error) {
      // Downloaders stop the run's tasks still running and drop those still queued.
      nc.publish(cancelSubject(context.runId), encodeMessage({ reason: context.signal.aborted ? 'cancelled' : 'failed' }));
      throw error;
    } finally {
      tracker.close();
      subscription.unsubscribe();
    }
  }

  private async publish(context: ModeContext, task: DownloadTask, index: number, deadline: number): Promise<void> {
    const message: DownloadTaskMessage = {
      runId: context.runId,
      index,
      name: task.name,
      durationMs: task.durationMs,
      workload: context.workload,
      deadline,
    };
    // The task span's context, for the downloader's span and log lines; no headers at all while tracing is off.
    const taskContext = context.spans?.contextFor(index, task);
    const headers = taskContext ? natsHeaders() : undefined;
    if (headers) injectTraceContext(headers, taskContext);
    await this.js.publish(taskSubject(context.runId, index), encodeMessage(message), {
      msgID: taskMessageId(context.runId, index),
      ...(headers && { headers }),
    });
  }
}

function safeJson(message: Msg): unknown {
  try {
    return message.json();
  } catch {
    return undefined;
  }
}

/** One run's tasks as the downloaders report them: the latest attempt of each, the first finish kept. */
class RunTracker {
  readonly done: Promise<TaskTiming[]>;
  private resolve!: (timings: TaskTiming[]) => void;
  private reject!: (error: unknown) => void;
  private readonly timings: (TaskTiming | undefined)[];
  private readonly latest: (DownloadEvent | undefined)[];
  private finished = 0;
  private stall: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.reject(this.context.signal.reason);

  constructor(
    private readonly tasks: readonly DownloadTask[],
    private readonly context: ModeContext,
    private readonly stallMs: number,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.timings = tasks.map(() => undefined);
    this.latest = tasks.map(() => undefined);
    context.signal.addEventListener('abort', this.onAbort, { once: true });
    if (context.signal.aborted) this.onAbort();
    this.resetStall();
  }

  receive(message: Msg): void {
    let event: DownloadEvent;
    try {
      event = decodeMessage(downloadEventSchema, message.data);
    } catch (error) {
      this.context.logger.warn({ err: error, subject: message.subject }, 'malformed download event ignored');
      return;
    }
    const task = this.tasks[event.index];
    if (!task || event.runId !== this.context.runId) return;
    this.resetStall();
    if (event.type === 'started') this.started(event, task);
    else if (event.type === 'finished') this.finish(event, task);
    else this.reject(new TaskFailedError(task, `downloader ${event.host} pid ${event.pid} gave it up: ${event.reason}`));
    // A finish asks for an answer: the downloader acks the task only once the run has it.
    if (message.reply) message.respond(encodeMessage({ ok: true }));
  }

  close(): void {
    clearTimeout(this.stall);
    this.context.signal.removeEventListener('abort', this.onAbort);
  }

  private started(event: Extract<DownloadEvent, { type: 'started' }>, task: DownloadTask): void {
    if (this.timings[event.index]) return; // a late redelivery of a task already done: not part of the report
    const where = { host: event.host, pid: event.pid, threadId: 0 };
    this.latest[event.index] = event;
    const fields = { file: task.name, index: event.index, attempt: event.attempt, host: event.host, downloaderPid: event.pid };
    if (event.attempt > 1) this.context.logger.warn(fields, 'download retried on another downloader');
    this.context.logger.info(fields, 'download started');
    announce(this.context, 'task-started', event.index, task, where, event.startedAt);
  }

  private finish(event: Extract<DownloadEvent, { type: 'finished' }>, task: DownloadTask): void {
    if (this.timings[event.index]) return; // finished twice (a lost ack): the first finish stands
    const runStart = this.context.runStart;
    this.timings[event.index] = {
      ...task,
      host: event.host,
      pid: event.pid,
      threadId: 0,
      waitMs: event.startedAt - runStart,
      startMs: event.startedAt - runStart,
      finishMs: event.finishedAt - runStart,
      attempts: event.attempt,
    };
    this.latest[event.index] = event;
    const ms = Math.round(event.finishedAt - event.startedAt);
    this.context.logger.info(
      { file: task.name, index: event.index, attempt: event.attempt, host: event.host, downloaderPid: event.pid, ms },
      'download finished',
    );
    announce(this.context, 'task-finished', event.index, task, { host: event.host, pid: event.pid, threadId: 0 }, event.finishedAt);
    if (++this.finished === this.tasks.length) this.resolve(this.timings as TaskTiming[]);
  }

  private resetStall(): void {
    clearTimeout(this.stall);
    this.stall = setTimeout(() => this.reject(new Error(this.stallMessage())), this.stallMs);
  }

  private stallMessage(): string {
    const notDone = this.tasks.flatMap((task, index) => {
      if (this.timings[index]) return [];
      const last = this.latest[index];
      return [last ? `"${task.name}" (attempt ${last.attempt} on ${last.host} pid ${last.pid})` : `"${task.name}" (never started)`];
    });
    const named = notDone.slice(0, 10).join(', ') + (notDone.length > 10 ? ` and ${notDone.length - 10} more` : '');
    return `no downloader reported on this run for ${this.stallMs} ms; not done: ${named}`;
  }
}
