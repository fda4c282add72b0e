import { CoordinatorProblem, type QueueRunReport } from '@concurrency-lab/api-client';
import { corePubSub, jetStreamAnchor, shippedConfigCost } from '../nats-anchors.js';
import { pythonQueue } from '../python-anchors.js';
import { reasonOf, row, type BenchRow } from '../rows.js';
import { checkTimeline, describeTimelineCheck } from '../timeline-check.js';
import { anchorFigure, joinNotes, logRow, type CaseContext } from './context.js';
import { median } from './http-throughput.js';

/**
 * Rounds of the core run against Python's queue, alternating: on a shared
 * machine one of each is noise (the same build measured 0.5x to 1.1x run to
 * run), the median of three is a figure.
 */
export const CORE_ROUNDS = 3;

interface TimelineEntry {
  seq: number;
  writtenAtMs: number;
  readStartedAtMs: number;
  readAtMs: number;
  queuedMs: number;
}

export interface QueueCaseResult {
  rows: BenchRow[];
  /** False when the run lost or duplicated an item: a correctness failure, not a figure. */
  intact: boolean;
}

/** Where the run's time went, from its timeline: the writer's and reader's own rates and the wait in the stream. */
export function describeQueueTimeline(timeline: readonly TimelineEntry[]): string {
  if (timeline.length < 2) return '';
  const span = (values: number[]) => Math.max(...values) - Math.min(...values);
  const perSec = (ms: number) => (ms > 0 ? Math.round((timeline.length - 1) / (ms / 1000)).toLocaleString('en-US') : 'inf');
  const meanQueued = timeline.reduce((sum, e) => sum + e.queuedMs, 0) / timeline.length;
  const meanRead = timeline.reduce((sum, e) => sum + (e.readAtMs - e.readStartedAtMs), 0) / timeline.length;
  return (
    `writer ${perSec(span(timeline.map((e) => e.writtenAtMs)))} items/s, reader ${perSec(span(timeline.map((e) => e.readAtMs)))} items/s, ` +
    `first write at ${Math.min(...timeline.map((e) => e.writtenAtMs)).toFixed(0)} ms, mean queued ${meanQueued.toFixed(1)} ms, mean read ${meanRead.toFixed(2)} ms`
  );
}

/**
 * Queue throughput, writer service to reader service with zero delays
 * (items / totalMs), against raw JetStream pipelined publish and consume
 * with ack, core NATS publish/subscribe and Python's multiprocessing.Queue.
 */
/** The warm-up's answer does not matter, only that it ran; a coordinator that cannot be reached still fails the row. */
function ignoreProblem(error: unknown): void {
  if (!(error instanceof CoordinatorProblem)) throw error;
}

/** One queue run through the services: items per second, and whether every item arrived exactly once. */
export async function projectQueueRun(ctx: CaseContext, items: number, transport: 'jetstream' | 'core') {
  // Readers alongside the writer: the figure is the pipeline's rate, not the lesson's one-after-the-other.
  const body = {
    items: Array.from({ length: items }, (_, i) => `item ${i + 1}`),
    writeDelayMs: 0,
    readDelayMs: 0,
    transport,
    readerStart: 'concurrent',
  } as const;
  const call = { timeoutMs: 330_000, signal: ctx.signal };
  try {
    // One uncounted run first, a tenth of the size: the first run through fresh services pays for
    // their JIT warming up (about a third slower here), which is not what the figure is about.
    await ctx.client.api.queueRun({ ...body, items: body.items.slice(0, Math.max(1, Math.ceil(items / 10))) }, call).catch(ignoreProblem);
    let report: QueueRunReport;
    try {
      report = await ctx.client.api.queueRun(body, call);
    } catch (error) {
      if (!(error instanceof CoordinatorProblem)) throw error;
      return { value: null, note: `n/a: HTTP ${error.status}: ${error.reason}`, intact: transport === 'core' };
    }
    const check = checkTimeline(report.timeline, items);
    const note = joinNotes(
      check.ok ? 'nothing lost: every seq exactly once' : `LOST OR DUPLICATED: ${describeTimelineCheck(check)}`,
      report.duplicateReads ? `${report.duplicateReads} duplicate reads` : '',
      `${report.totalMs.toFixed(0)} ms`,
      describeQueueTimeline(report.timeline),
      'after a warm-up run of a tenth the size',
    );
    return { value: items / (report.totalMs / 1000), note, intact: check.ok };
  } catch (error) {
    return { value: null, note: `n/a: ${reasonOf(error)}`, intact: true };
  }
}

type Figure = { value: number | null; note?: string | undefined };

/** The median of the rounds' figures, with each round's in the note. */
function medianFigure(rounds: Figure[], what: string): Figure {
  const values = rounds.map((round) => round.value).filter((value): value is number => value !== null);
  const each = rounds.map((round) => (round.value === null ? 'n/a' : Math.round(round.value).toLocaleString('en-US'))).join(', ');
  return {
    value: median(values),
    note: joinNotes(`${what}: median of ${rounds.length} alternating rounds (${each} items/s)`, ...rounds.map((round) => round.note)),
  };
}

/** The core run and Python's queue, one after the other, CORE_ROUNDS times. */
async function coreAgainstPython(ctx: CaseContext, items: number): Promise<{ core: Figure; python: Figure }> {
  const cores: Figure[] = [];
  const pythons: Figure[] = [];
  for (let round = 0; round < CORE_ROUNDS; round++) {
    // Core NATS promises nothing, so a loss there is a figure, not a failure of the bench.
    cores.push(await projectQueueRun(ctx, items, 'core'));
    ctx.signal.throwIfAborted();
    if (ctx.python) {
      pythons.push(
        await anchorFigure(
          'python',
          () => pythonQueue(items, ctx.signal),
          (r) => r.itemsPerSec,
        ),
      );
    }
  }
  const python = ctx.python ? medianFigure(pythons, 'python') : { value: null, note: 'python3 not found' };
  return { core: medianFigure(cores, 'core'), python };
}

export async function queueThroughputCase(ctx: CaseContext): Promise<QueueCaseResult> {
  const { queueItems: items, payloadBytes, publishWindow, coreMessages } = ctx.plan;
  const natsUrl = ctx.natsUrl;
  const durable = await projectQueueRun(ctx, items, 'jetstream');
  const project = durable.value;
  const projectNote = durable.note;
  ctx.signal.throwIfAborted();
  const { core, python } = await coreAgainstPython(ctx, items);
  const intact = durable.intact;

  ctx.signal.throwIfAborted();
  const js = await anchorFigure(
    'jetstream',
    () => jetStreamAnchor(natsUrl, items, payloadBytes, publishWindow),
    (r) => r,
  );
  const jsValue = js.value;
  const coreAnchor = await anchorFigure(
    'core nats',
    () => corePubSub(natsUrl, coreMessages, payloadBytes),
    (r) => r,
  );
  const configCost = await anchorFigure(
    'shipped config',
    () => shippedConfigCost(natsUrl, ctx.shippedNats, coreMessages, payloadBytes, 3),
    (r) => r,
  );

  const what = `${items.toLocaleString('en-US')} items, writer to reader, 0 ms delays`;
  const base = { group: 'queue throughput', what, unit: 'items/s' as const, better: 'higher' as const, project, params: { items } };
  const rows = [
    row({
      ...base,
      id: 'queue/vs-jetstream-publish',
      anchor: { name: `raw JetStream publish, window ${publishWindow}`, value: jsValue?.publishPerSec ?? null },
      note: joinNotes(projectNote, js.note),
    }),
    row({
      ...base,
      id: 'queue/vs-jetstream-consume',
      anchor: { name: 'raw JetStream consume + ack', value: jsValue?.consumePerSec ?? null },
      note: js.note,
    }),
    row({
      ...base,
      id: 'queue/vs-core-pubsub',
      anchor: { name: `core NATS pub/sub (${coreMessages.toLocaleString('en-US')} msgs)`, value: coreAnchor.value },
      note: coreAnchor.note,
    }),
    row({
      id: 'nats/shipped-config-cost',
      group: 'queue throughput',
      what: `core NATS pub/sub (${coreMessages.toLocaleString('en-US')} msgs) as the writer and a reader, with the shipped config (users, permissions)`,
      unit: 'items/s',
      better: 'higher',
      project: configCost.value?.shippedPerSec ?? null,
      anchor: { name: 'the same on nats-server without auth or permissions', value: configCost.value?.barePerSec ?? null },
      note:
        configCost.note ??
        'shipped / bare, best of 3 alternating rounds each: below 1 is what auth and permissions cost; a ratio near 1 means the cost is lost in the noise',
      params: { messages: coreMessages },
    }),
    row({ ...base, id: 'queue/vs-python-queue', anchor: { name: 'python multiprocessing.Queue', value: python.value }, note: python.note }),
    row({
      ...base,
      id: 'queue/core-vs-python-queue',
      what: `${items.toLocaleString('en-US')} items, transport core, 0 ms delays`,
      project: core.value,
      anchor: { name: 'python multiprocessing.Queue', value: python.value },
      note: joinNotes(core.note, python.note),
    }),
  ];
  rows.forEach((r) => logRow(ctx, r));
  return { rows, intact };
}
