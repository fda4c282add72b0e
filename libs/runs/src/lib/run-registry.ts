import { EventLog } from './event-log.js';
import type { RunArchive, StoredRun } from './run-archive.js';

export const RUN_STATES = ['running', 'finished', 'failed', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** One run the registry knows of, running or ended. */
export interface RunRecord<Input, Result, Event> {
  readonly id: string;
  readonly input: Input;
  readonly createdAt: Date;
  state: RunState;
  endedAt?: Date;
  result?: Result;
  /** What a failed or cancelled run ended with, and that as one line. */
  error?: unknown;
  errorMessage?: string;
  readonly events: EventLog<Event>;
  /** Aborted when the run is cancelled. */
  readonly signal: AbortSignal;
  /** Settles (never rejects) once the run has ended and the registry has noted it. */
  readonly done: Promise<void>;
}

/** What a run's work gets: its id, its cancel signal and where to send its events. */
export interface RunContext<Event> {
  id: string;
  signal: AbortSignal;
  emit(event: Event): void;
}

/** Told of every run as it starts and as it ends, finished, failed or cancelled: the service's metrics. */
export interface RunObserver<Input, Result, Event> {
  runStarted?(run: Readonly<RunRecord<Input, Result, Event>>): void;
  runEnded?(run: Readonly<RunRecord<Input, Result, Event>>): void;
}

export interface RunHistoryLimits<Input, Result, Event> {
  /** Runs kept at most, ended ones (and running ones too when `countsRunning`). */
  maxRuns: number;
  countsRunning?: boolean;
  /** A second bound, on the weight of the ended runs together (a queue run's timeline entries, say). */
  maxWeight?: number;
  weightOf?(run: RunRecord<Input, Result, Event>): number;
  /** Which ended runs are kept at all; every one when not given. */
  keeps?(run: RunRecord<Input, Result, Event>): boolean;
}

export interface RunRegistryOptions<Input, Result, Event> {
  /** Runs at once; start() past it throws TooManyRunsError. */
  maxInFlight: number;
  /** The TooManyRunsError's message, e.g. "at most 4 simulations run at once". */
  tooManyMessage: string;
  history: RunHistoryLimits<Input, Result, Event>;
  observer?: RunObserver<Input, Result, Event>;
  /** The last event of a run, emitted once its state is settled (the watchers' "it ended"). */
  endEvent?(run: Readonly<RunRecord<Input, Result, Event>>): Event;
  /** Where each run's record is written as it starts and ends, and read from for an id not in memory. */
  archive?: RunArchive<Input, Result>;
}

export class TooManyRunsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TooManyRunsError';
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The runs of one kind in one service: started in the background within a
 * limit of runs at once, watched through their events, kept in a bounded
 * history once ended (oldest first out, the newest always kept), cancellable.
 */
export class RunRegistry<Input, Result, Event> {
  /** Runs in flight, each with its cancel: a set, as two runs may share an id (a queue run retried while the first still waits). */
  private readonly running = new Map<RunRecord<Input, Result, Event>, AbortController>();
  /** Ended runs, in the order they ended. */
  private readonly ended = new Map<string, RunRecord<Input, Result, Event>>();
  private endedWeight = 0;
  /** The order runs started in: two may share a millisecond. */
  private readonly startOrder = new WeakMap<RunRecord<Input, Result, Event>, number>();
  private started = 0;
  /** Each run's latest record write: the next waits for it, so a run's end never lands before its start. */
  private readonly recordWrites = new Map<RunRecord<Input, Result, Event>, Promise<void>>();

  constructor(private readonly options: RunRegistryOptions<Input, Result, Event>) {}

  get inFlight(): number {
    return this.running.size;
  }

  get maxInFlight(): number {
    return this.options.maxInFlight;
  }

  /**
   * Starts `work` in the background under `id`; throws TooManyRunsError past
   * the limit. A run that rejects failed, or was cancelled if cancel() asked.
   */
  start(id: string, input: Input, work: (context: RunContext<Event>) => Promise<Result>): RunRecord<Input, Result, Event> {
    if (this.running.size >= this.options.maxInFlight) throw new TooManyRunsError(this.options.tooManyMessage);
    const controller = new AbortController();
    const events = new EventLog<Event>();
    let settle = () => undefined as void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const run: RunRecord<Input, Result, Event> = {
      id,
      input,
      createdAt: new Date(),
      state: 'running',
      events,
      signal: controller.signal,
      done,
    };
    this.startOrder.set(run, this.started++);
    this.running.set(run, controller);
    this.trim();
    this.options.observer?.runStarted?.(run);
    this.record(run);
    void this.settled(() => work({ id, signal: controller.signal, emit: (event) => events.emit(event) }))
      .then(
        (result) => {
          run.state = 'finished';
          run.result = result;
        },
        (error: unknown) => {
          const cancelled = controller.signal.aborted;
          run.state = cancelled ? 'cancelled' : 'failed';
          run.error = error;
          run.errorMessage = cancelled ? String(controller.signal.reason ?? 'cancelled') : messageOf(error);
        },
      )
      .then(() => this.end(run))
      .finally(settle);
    return run;
  }

  /** Starts the work now; a synchronous throw becomes a rejection, so it ends the run the usual way. */
  private settled(start: () => Promise<Result>): Promise<Result> {
    try {
      return start();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  get(id: string): RunRecord<Input, Result, Event> | undefined {
    const running = [...this.running.keys()].filter((run) => run.id === id);
    return running.at(-1) ?? this.ended.get(id);
  }

  /**
   * The run in memory, else its record in the archive (a run of an earlier
   * process, or of another one); rejects when the archive cannot be asked.
   */
  async find(id: string): Promise<StoredRun<Input, Result> | undefined> {
    return this.get(id) ?? (await this.options.archive?.load(id));
  }

  /** Resolves once every record written so far is stored or given up on: for shutdown and tests. */
  async recordsWritten(): Promise<void> {
    await Promise.all(this.recordWrites.values());
  }

  /** Every run kept, newest first. */
  list(): RunRecord<Input, Result, Event>[] {
    return [...this.ended.values(), ...this.running.keys()].sort((a, b) => (this.startOrder.get(b) ?? 0) - (this.startOrder.get(a) ?? 0));
  }

  /** Resolves when the run has ended or `ms` have passed; true if it ended. */
  async waitFor(id: string, ms: number): Promise<boolean> {
    const run = this.get(id);
    if (!run) return false;
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      run.done.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
    clearTimeout(timer);
    return ended;
  }

  /** Cancels a running run and resolves once its work has ended. */
  async cancel(id: string, reason = 'cancelled by request'): Promise<RunRecord<Input, Result, Event> | undefined> {
    const run = this.get(id);
    if (!run) return undefined;
    this.running.get(run)?.abort(reason);
    await run.done;
    return run;
  }

  /** For shutdown: cancels every running run and waits for them. */
  async cancelAll(reason: string): Promise<void> {
    for (const controller of this.running.values()) controller.abort(reason);
    await Promise.all([...this.running.keys()].map((run) => run.done));
  }

  private end(run: RunRecord<Input, Result, Event>): void {
    run.endedAt = new Date();
    if (this.options.endEvent) run.events.emit(this.options.endEvent(run));
    this.running.delete(run);
    this.record(run);
    try {
      this.options.observer?.runEnded?.(run);
    } finally {
      run.events.close();
      if (this.options.history.keeps?.(run) ?? true) this.keep(run);
    }
  }

  /** Writes the run's record as it is now, after its earlier write; the archive never rejects. */
  private record(run: RunRecord<Input, Result, Event>): void {
    const archive = this.options.archive;
    if (!archive) return;
    const snapshot: StoredRun<Input, Result> = {
      id: run.id,
      input: run.input,
      createdAt: run.createdAt,
      state: run.state,
      endedAt: run.endedAt,
      result: run.result,
      errorMessage: run.errorMessage,
    };
    const write = (this.recordWrites.get(run) ?? Promise.resolve()).then(() => archive.save(snapshot));
    this.recordWrites.set(run, write);
    void write.then(() => {
      if (this.recordWrites.get(run) === write) this.recordWrites.delete(run);
    });
  }

  /** Into the history; a run of the same id (a retried queue run) is replaced. */
  private keep(run: RunRecord<Input, Result, Event>): void {
    this.forget(run.id);
    this.ended.set(run.id, run);
    this.endedWeight += this.options.history.weightOf?.(run) ?? 0;
    this.trim();
  }

  private trim(): void {
    const { maxRuns, countsRunning = false, maxWeight = Infinity } = this.options.history;
    for (const id of this.ended.keys()) {
      const kept = this.ended.size + (countsRunning ? this.running.size : 0);
      if (this.ended.size <= 1 || (kept <= maxRuns && this.endedWeight <= maxWeight)) return;
      this.forget(id);
    }
  }

  private forget(id: string): void {
    const earlier = this.ended.get(id);
    if (!earlier) return;
    this.endedWeight -= this.options.history.weightOf?.(earlier) ?? 0;
    this.ended.delete(id);
  }
}
