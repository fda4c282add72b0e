import type { BenchRow } from './rows.js';

export interface TargetResult {
  id: string;
  description: string;
  met: boolean;
  /** Which mode or route met it, or why not. */
  detail: string;
}

/** The numbers the targets name, in one place. */
export const TARGETS = {
  parallelCount: 50,
  parallelOverheadMs: 10,
  queueShareOfPublish: 0.75,
  coordinatorShareOfExpress: 0.8,
  manyTasksCount: 1000,
  manyTasksFactor: 1.1,
  distributedOverheadMs: 20,
  nodeFloorFactor: 1.25,
} as const;

const fmt = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1));
/** project / anchor unrounded (the printed ratio is rounded, which must not tip a target), or null. */
const share = (r: BenchRow | undefined) =>
  r && r.project !== null && r.anchor.value !== null && r.anchor.value > 0 ? r.project / r.anchor.value : null;
const measured = (rows: readonly BenchRow[]) => rows.filter((r): r is BenchRow & { project: number } => r.project !== null);

function parallelOverheadTarget(rows: readonly BenchRow[]): TargetResult {
  const description = `${TARGETS.parallelCount} IO tasks in parallel within ${TARGETS.parallelOverheadMs} ms of the ideal and at or below Python's overhead (any concurrent mode)`;
  const candidates = measured(rows.filter((r) => r.group === 'parallel overhead' && r.params['count'] === TARGETS.parallelCount));
  if (candidates.length === 0) return { id: 'parallel-50-overhead', description, met: false, detail: 'not measured' };
  const python = candidates[0]?.anchor.value ?? null;
  const meets = candidates.filter((r) => r.project <= TARGETS.parallelOverheadMs && python !== null && r.project <= python);
  const list = (items: typeof candidates) => items.map((r) => `${r.params['mode']} ${fmt(r.project)} ms`).join(', ');
  const pythonText = python === null ? 'python n/a' : `python ${fmt(python)} ms`;
  return meets.length > 0
    ? { id: 'parallel-50-overhead', description, met: true, detail: `met by ${list(meets)} (${pythonText})` }
    : { id: 'parallel-50-overhead', description, met: false, detail: `not met: ${list(candidates)} (${pythonText})` };
}

function queueTarget(rows: readonly BenchRow[]): TargetResult {
  const wanted = TARGETS.queueShareOfPublish;
  const description = `queue end to end at ${wanted * 100}% or more of raw JetStream pipelined publish`;
  const queue = rows.find((r) => r.id === 'queue/vs-jetstream-publish');
  const got = share(queue);
  if (!queue || got === null)
    return { id: 'queue-vs-jetstream', description, met: false, detail: `not measured${queue?.note ? `: ${queue.note}` : ''}` };
  const percent = `${(got * 100).toFixed(1)}% (${fmt(queue.project ?? 0)} vs ${fmt(queue.anchor.value ?? 0)} items/s)`;
  return { id: 'queue-vs-jetstream', description, met: got >= wanted, detail: percent };
}

function coreQueueTarget(rows: readonly BenchRow[]): TargetResult {
  const description = "queue over core NATS at or above Python's multiprocessing.Queue";
  const queue = rows.find((r) => r.id === 'queue/core-vs-python-queue');
  const got = share(queue);
  if (!queue || got === null)
    return { id: 'core-queue-vs-python', description, met: false, detail: `not measured${queue?.note ? `: ${queue.note}` : ''}` };
  const detail = `${(got * 100).toFixed(1)}% (${fmt(queue.project ?? 0)} vs ${fmt(queue.anchor.value ?? 0)} items/s)`;
  return { id: 'core-queue-vs-python', description, met: got >= 1, detail };
}

/** One HTTP route of the coordinator at a share or more of its Express anchor's requests/s (the http case's medians). */
function httpRouteTarget(rows: readonly BenchRow[], id: string, rowId: string, route: string, anchor: string): TargetResult {
  const wanted = TARGETS.coordinatorShareOfExpress;
  const description = `${route} at ${wanted * 100}% or more of ${anchor} requests/s`;
  const measuredRow = rows.find((r) => r.id === rowId);
  const got = share(measuredRow);
  if (!measuredRow || got === null)
    return { id, description, met: false, detail: `not measured${measuredRow?.note ? `: ${measuredRow.note}` : ''}` };
  const detail = `${(got * 100).toFixed(1)}% (${fmt(measuredRow.project ?? 0)} vs ${fmt(measuredRow.anchor.value ?? 0)} req/s)`;
  return { id, description, met: got >= wanted, detail };
}

function manyTasksTarget(rows: readonly BenchRow[]): TargetResult {
  const { manyTasksCount: count, manyTasksFactor: factor } = TARGETS;
  const description = `${count} parallel tasks within ${factor} times the longest task (any concurrent mode)`;
  const candidates = measured(
    rows.filter((r) => r.group === 'scale curve' && r.params['count'] === count && r.params['mode'] !== 'sequential'),
  );
  if (candidates.length === 0) {
    const reasons = rows.filter((r) => r.group === 'scale curve' && r.params['count'] === count && r.params['mode'] !== 'sequential');
    const why =
      reasons.length === 0
        ? `no ${count}-task point in this run`
        : reasons.map((r) => `${r.params['mode']}: ${r.note ?? 'n/a'}`).join('; ');
    return { id: 'parallel-1000-within-1.1x', description, met: false, detail: `not measured (${why})` };
  }
  const times = (r: BenchRow & { project: number }) => r.project / Number(r.params['idealMs']);
  const list = (items: typeof candidates) => items.map((r) => `${r.params['mode']} ${times(r).toFixed(2)}x`).join(', ');
  const meets = candidates.filter((r) => times(r) <= factor);
  return meets.length > 0
    ? { id: 'parallel-1000-within-1.1x', description, met: true, detail: `met by ${list(meets)}` }
    : { id: 'parallel-1000-within-1.1x', description, met: false, detail: `not met: ${list(candidates)}` };
}

function distributedTarget(rows: readonly BenchRow[]): TargetResult {
  const description = `50 x 200 ms distributed over 4 downloader processes within ${TARGETS.distributedOverheadMs} ms of the ideal, every task reported`;
  const measuredRow = rows.find((r) => r.group === 'distributed overhead');
  if (!measuredRow || measuredRow.project === null)
    return {
      id: 'distributed-50-overhead',
      description,
      met: false,
      detail: `not measured${measuredRow?.note ? `: ${measuredRow.note}` : ''}`,
    };
  const complete = measuredRow.params['tasksReported'] === measuredRow.params['count'];
  const met = complete && measuredRow.project <= TARGETS.distributedOverheadMs;
  return { id: 'distributed-50-overhead', description, met, detail: `${fmt(measuredRow.project)} ms${complete ? '' : ', tasks missing'}` };
}

/** `processes` within the factor of the bare fork floor, `threads` of the bare Worker floor, at every count measured (10 and 50). */
function nodeFloorTargets(rows: readonly BenchRow[]): TargetResult[] {
  const factor = TARGETS.nodeFloorFactor;
  return (['processes', 'threads'] as const).map((mode) => {
    const floor = mode === 'processes' ? 'bare child_process.fork' : 'bare new Worker';
    const id = `${mode}-vs-node-floor`;
    const description = `${mode} overhead at most ${factor}x a ${floor} of an empty module per task (10 and 50 tasks, medians)`;
    const judged = rows.filter((r) => r.group === 'node floors' && r.params['mode'] === mode && r.unit === 'ms');
    if (judged.length === 0) return { id, description, met: false, detail: 'not measured' };
    const parts = judged.map((r) => {
      const got = share(r);
      const figures = `${fmt(r.project ?? Number.NaN)} vs ${fmt(r.anchor.value ?? Number.NaN)} ms`;
      return `${r.params['count']} tasks ${got === null ? 'n/a' : `${got.toFixed(2)}x`} (${figures})`;
    });
    const met = judged.every((r) => (share(r) ?? Number.POSITIVE_INFINITY) <= factor);
    return { id, description, met, detail: parts.join(', ') };
  });
}

/** Each target, judged from the rows of one run. */
export function evaluateTargets(rows: readonly BenchRow[]): TargetResult[] {
  return [
    parallelOverheadTarget(rows),
    queueTarget(rows),
    coreQueueTarget(rows),
    httpRouteTarget(rows, 'healthz-vs-express', 'http/healthz', 'GET /healthz', 'bare Express'),
    httpRouteTarget(
      rows,
      'post-simulations-vs-same-work-express',
      'http/post-simulations',
      'POST /simulations',
      'the same-work Express handler',
    ),
    manyTasksTarget(rows),
    distributedTarget(rows),
    ...nodeFloorTargets(rows),
  ];
}
