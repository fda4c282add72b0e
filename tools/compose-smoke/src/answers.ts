import { MODE_CATALOGUE, type ModeRunsIn } from '@concurrency-lab/simulation';

/** Where each mode's tasks run, from the mode registry: what their pids must show. */
const runsIn = (mode: string): ModeRunsIn | undefined => MODE_CATALOGUE.find((known) => known.name === mode)?.runsIn;

/**
 * Checks of the coordinator's answers. Each takes the HTTP status and the
 * parsed body as they came (unknown), and returns every problem found, not
 * just the first, with a one-line summary for the step's line.
 */

export interface AnswerCheck {
  problems: string[];
  summary: string;
  /** The run id the answer carries, for the log checks. */
  runId: string | undefined;
}

type Dict = Record<string, unknown>;
const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPid = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A short quote of a body for a message: problem+json explains itself. */
export function describeBody(body: unknown): string {
  if (isDict(body) && (typeof body['title'] === 'string' || typeof body['detail'] === 'string')) {
    return [body['title'], body['detail']].filter((part) => typeof part === 'string').join(': ');
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function sameMultiset(actual: readonly string[], expected: readonly string[]): { missing: string[]; extra: string[] } {
  const left = new Map<string, number>();
  for (const item of expected) left.set(item, (left.get(item) ?? 0) + 1);
  const extra: string[] = [];
  for (const item of actual) {
    const n = left.get(item) ?? 0;
    if (n === 0) extra.push(item);
    else left.set(item, n - 1);
  }
  const missing = [...left].flatMap(([item, n]) => Array<string>(n).fill(item));
  return { missing, extra };
}

/**
 * POST /simulations with `mode: compare`: 201 with one run per mode, each
 * with every task, and the pids that show where they ran: the coordinator's
 * own for sequential and async, one new process per task for processes.
 */
export function checkSimulationAnswer(status: number, body: unknown, taskCount: number): AnswerCheck {
  const problems: string[] = [];
  const runId = isDict(body) && typeof body['runId'] === 'string' ? body['runId'] : undefined;
  if (status !== 201) {
    const hint = status === 202 ? ' (202: the comparison was still running when the request gave up waiting)' : '';
    return { problems: [`expected 201, got ${status}${hint}: ${describeBody(body)}`], summary: `${status}`, runId };
  }
  if (!isDict(body)) return { problems: ['the answer is not a JSON object'], summary: '201', runId };
  if (!runId) problems.push('no runId');
  if (body['mode'] !== 'compare') problems.push(`mode is ${JSON.stringify(body['mode'])}, expected "compare"`);
  const coordinatorPid = body['coordinatorPid'];
  if (!isPid(coordinatorPid)) problems.push(`coordinatorPid is ${JSON.stringify(coordinatorPid)}`);
  const table = list(body['table']);
  const runs = isDict(body['runs']) ? body['runs'] : {};
  if (table.length === 0) problems.push('the table has no rows');
  const modes = table.map((row) => (isDict(row) ? String(row['mode']) : '?'));
  let names: string[] | undefined;
  let processPids: number[] = [];
  for (const mode of modes) {
    const run = runs[mode];
    if (!isDict(run)) {
      problems.push(`no report for mode ${mode}`);
      continue;
    }
    const tasks = list(run['tasks']).filter(isDict);
    if (tasks.length !== taskCount) problems.push(`${mode}: ${tasks.length} tasks, expected ${taskCount}`);
    const taskNames = tasks.map((task) => String(task['name']));
    names ??= taskNames;
    const { missing, extra } = sameMultiset(taskNames, names);
    if (missing.length > 0 || extra.length > 0)
      problems.push(`${mode}: tasks ${JSON.stringify(taskNames)} differ from ${JSON.stringify(names)}`);
    const pids = tasks.map((task) => task['pid']);
    const bad = pids.filter((pid) => !isPid(pid));
    if (bad.length > 0) problems.push(`${mode}: ${bad.length} task(s) without a pid`);
    if (runsIn(mode) === 'coordinator' && isPid(coordinatorPid) && pids.some((pid) => pid !== coordinatorPid)) {
      problems.push(`${mode}: pids ${pids.join(', ')} should all be the coordinator's ${coordinatorPid}`);
    }
    if (runsIn(mode) === 'process-per-task') {
      processPids = pids.filter(isPid);
      if (new Set(processPids).size !== tasks.length) problems.push(`${mode}: pids ${pids.join(', ')} should be one new process per task`);
      if (processPids.includes(coordinatorPid as number))
        problems.push(`${mode}: a task ran in the coordinator's own process ${String(coordinatorPid)}`);
    }
  }
  const summary = `${modes.length} modes x ${names?.length ?? 0} tasks, coordinator pid ${String(coordinatorPid)}${processPids.length > 0 ? `, processes pids ${processPids.join(' ')}` : ''}`;
  return { problems, summary, runId };
}

export interface QueueAnswerCheck extends AnswerCheck {
  /** Each reader of the run, "host/pid": readers in containers can share a pid. */
  readers: string[];
}

/**
 * POST /queue-runs: 200 with every item exactly once in the timeline, each
 * written by a writer and read by a reader with a pid, and the readers'
 * counts adding up. (The coordinator answers a finished queue run with 200;
 * 201 is accepted too, should it ever answer with Created.)
 */
export function checkQueueAnswer(status: number, body: unknown, items: readonly string[]): QueueAnswerCheck {
  const problems: string[] = [];
  const runId = isDict(body) && typeof body['runId'] === 'string' ? body['runId'] : undefined;
  if (status !== 200 && status !== 201) {
    return { problems: [`expected 200, got ${status}: ${describeBody(body)}`], summary: `${status}`, runId, readers: [] };
  }
  if (!isDict(body)) return { problems: ['the answer is not a JSON object'], summary: `${status}`, runId, readers: [] };
  if (!runId) problems.push('no runId');
  if (body['items'] !== items.length) problems.push(`items is ${JSON.stringify(body['items'])}, expected ${items.length}`);
  const timeline = list(body['timeline']).filter(isDict);
  const { missing, extra } = sameMultiset(
    timeline.map((entry) => String(entry['item'])),
    items,
  );
  if (missing.length > 0) problems.push(`items missing from the timeline: ${JSON.stringify(missing)}`);
  if (extra.length > 0) problems.push(`unexpected items in the timeline: ${JSON.stringify(extra)}`);
  const seqs = timeline.map((entry) => entry['seq']);
  if (new Set(seqs).size !== seqs.length) problems.push('an item appears twice in the timeline (same seq)');
  const noWriter = timeline.filter((entry) => !isPid(entry['writerPid'])).length;
  const noReader = timeline.filter((entry) => !isPid(entry['readerPid'])).length;
  if (noWriter > 0) problems.push(`${noWriter} item(s) without a writer pid`);
  if (noReader > 0) problems.push(`${noReader} item(s) without a reader pid`);
  if (!isPid(body['writerPid'])) problems.push(`writerPid is ${JSON.stringify(body['writerPid'])}`);
  const readerPids = list(body['readerPids']);
  if (readerPids.length === 0 || !readerPids.every(isPid)) problems.push(`readerPids is ${JSON.stringify(body['readerPids'])}`);
  const readers = list(body['readers']).filter(isDict);
  const readCount = readers.reduce((sum, reader) => sum + (typeof reader['items'] === 'number' ? reader['items'] : 0), 0);
  if (readCount !== items.length) problems.push(`the readers read ${readCount} items in all, expected ${items.length}`);
  // Reading is at-least-once, counting exactly-once: the items read once and those read again add up to the items.
  if (
    typeof body['readOnce'] === 'number' &&
    typeof body['readAgain'] === 'number' &&
    body['readOnce'] + body['readAgain'] !== items.length
  ) {
    problems.push(`readOnce ${body['readOnce']} + readAgain ${body['readAgain']} is not the ${items.length} items`);
  }
  const readerNames = readers.map((reader) => `${String(reader['host'])}/${String(reader['pid'])}`);
  const spread = readers.map((reader) => String(reader['items'])).join('+');
  const summary = `${timeline.length}/${items.length} items, writer pid ${String(body['writerPid'])}, ${readers.length} reader(s) (${spread} items), ${String(body['totalMs'])} ms`;
  return { problems, summary, runId, readers: readerNames };
}

/** The lesson's downloads take randint(5, 10) seconds each. */
const LESSON_TASK_MS = { min: 5_000, max: 10_000 } as const;
/** How far a total may run over the ideal (sum or longest) and still read as "about": process start-up, a loaded host. */
const LESSON_SLACK_MS = 3_000;

const runOf = (body: unknown, mode: string): Dict | undefined => {
  const runs = isDict(body) && isDict(body['runs']) ? body['runs'] : {};
  return isDict(runs[mode]) ? runs[mode] : undefined;
};
const tasksOf = (run: Dict | undefined) => list(run?.['tasks']).filter(isDict);
const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/**
 * POST /simulations with no body: the lesson's comparison, finished (201), of
 * its two 5-10 s downloads run one after the other in the coordinator
 * (sequential: about the sum) and in a process each (processes: about the
 * longer one, in two distinct processes). Other modes may come along.
 */
export function checkLessonSimulation(status: number, body: unknown): AnswerCheck {
  const base = checkSimulationAnswer(status, body, 2);
  if (status !== 201 || !isDict(body)) return base;
  const problems = [...base.problems];
  const sequential = runOf(body, 'sequential');
  const processes = runOf(body, 'processes');
  if (!sequential || !processes) {
    problems.push('the lesson compares sequential and processes: a report is missing');
    return { ...base, problems };
  }
  const durations = tasksOf(sequential).map((task) => numberOr(task['durationMs'], 0));
  const outside = durations.filter((ms) => ms < LESSON_TASK_MS.min || ms > LESSON_TASK_MS.max);
  if (outside.length > 0)
    problems.push(`download durations ${durations.join(', ')} ms: the lesson's take 5 to 10 s each (a scale was applied?)`);
  const sum = durations.reduce((total, ms) => total + ms, 0);
  const longest = Math.max(0, ...durations);
  const sequentialMs = numberOr(sequential['totalMs'], -1);
  const processesMs = numberOr(processes['totalMs'], -1);
  if (sequentialMs < sum - 50 || sequentialMs > sum + LESSON_SLACK_MS)
    problems.push(`sequential took ${sequentialMs} ms, expected about the sum ${sum} ms`);
  if (processesMs < longest - 50 || processesMs > longest + LESSON_SLACK_MS)
    problems.push(`processes took ${processesMs} ms, expected about the longest ${longest} ms`);
  if (processesMs >= sequentialMs) problems.push(`processes (${processesMs} ms) was not faster than sequential (${sequentialMs} ms)`);
  const summary = `sequential ${sequentialMs} ms (sum ${sum}), processes ${processesMs} ms (longest ${longest}); ${base.summary}`;
  return { problems, summary, runId: base.runId };
}

/**
 * POST /queue-runs with no body: the lesson's run, finished, of its three
 * items with 3 s pauses on each side, the reader started once the writer was
 * done: every item read, once, in the order written, nothing lost.
 */
export function checkLessonQueueRun(status: number, body: unknown): QueueAnswerCheck {
  const timeline = isDict(body) ? list(body['timeline']).filter(isDict) : [];
  const bySeq = [...timeline].sort((a, b) => numberOr(a['seq'], 0) - numberOr(b['seq'], 0));
  const base = checkQueueAnswer(
    status,
    body,
    bySeq.map((entry) => String(entry['item'])),
  );
  if ((status !== 200 && status !== 201) || !isDict(body)) return base;
  const problems = [...base.problems];
  if (body['items'] !== 3) problems.push(`items is ${JSON.stringify(body['items'])}: the lesson writes 3`);
  if (JSON.stringify(bySeq.map((entry) => entry['seq'])) !== '[1,2,3]')
    problems.push(`seqs ${JSON.stringify(bySeq.map((entry) => entry['seq']))}: expected 1, 2, 3, nothing lost`);
  if (body['readerStart'] !== 'after-writer')
    problems.push(`readerStart is ${JSON.stringify(body['readerStart'])}: the lesson starts the reader after the writer`);
  if (body['writeDelayMs'] !== 3_000 || body['readDelayMs'] !== 3_000)
    problems.push(`pauses ${String(body['writeDelayMs'])}/${String(body['readDelayMs'])} ms: the lesson's are 3 s`);
  const readOrder = [...timeline]
    .sort((a, b) => numberOr(a['readStartedAtMs'], 0) - numberOr(b['readStartedAtMs'], 0))
    .map((entry) => entry['seq']);
  if (JSON.stringify(readOrder) !== JSON.stringify(bySeq.map((entry) => entry['seq'])))
    problems.push(`read in the order ${JSON.stringify(readOrder)}, not as written`);
  const lastWrite = Math.max(0, ...timeline.map((entry) => numberOr(entry['writtenAtMs'], 0)));
  const firstRead = Math.min(...timeline.map((entry) => numberOr(entry['readStartedAtMs'], 0)));
  if (timeline.length > 0 && firstRead < lastWrite)
    problems.push(`the first read began at ${firstRead} ms, before the last write at ${lastWrite} ms`);
  if (typeof body['readOnce'] === 'number' && body['readOnce'] !== 3)
    problems.push(`readOnce is ${body['readOnce']}, expected every item read once`);
  // Writes 3 s apart, then three 3 s reads: 15 s at least.
  const totalMs = numberOr(body['totalMs'], 0);
  if (totalMs < 14_000) problems.push(`totalMs ${totalMs}: the lesson's run takes 15 s or more`);
  const summary = `read order ${readOrder.join(',')}, last write ${lastWrite} ms, first read ${firstRead} ms; ${base.summary}`;
  return { ...base, problems, summary };
}

export interface DistributedAnswerCheck extends AnswerCheck {
  /** Each downloader that ran a task, "host/pid": containers can share a pid, never a host. */
  downloaders: string[];
  hosts: string[];
}

/**
 * POST /simulations with `mode: distributed` after `--scale downloader=N`:
 * 201 with every task once, each run by a downloader (a host and pid that are
 * not the coordinator's), spread over at least `minHosts` hosts (containers).
 */
export function checkDistributedAnswer(status: number, body: unknown, taskCount: number, minHosts: number): DistributedAnswerCheck {
  const problems: string[] = [];
  const runId = isDict(body) && typeof body['runId'] === 'string' ? body['runId'] : undefined;
  const none = { runId, downloaders: [], hosts: [] };
  if (status !== 201) return { ...none, problems: [`expected 201, got ${status}: ${describeBody(body)}`], summary: `${status}` };
  if (!isDict(body)) return { ...none, problems: ['the answer is not a JSON object'], summary: '201' };
  if (body['mode'] !== 'distributed') problems.push(`mode is ${JSON.stringify(body['mode'])}, expected "distributed"`);
  const tasks = list(body['tasks']).filter(isDict);
  if (tasks.length !== taskCount) problems.push(`${tasks.length} tasks, expected ${taskCount}`);
  const names = tasks.map((task) => String(task['name']));
  if (new Set(names).size !== names.length) problems.push(`a task appears twice: ${JSON.stringify(names)}`);
  const where = tasks.map((task) => ({ host: task['host'], pid: task['pid'] }));
  const unnamed = where.filter(({ host, pid }) => typeof host !== 'string' || host === '' || !isPid(pid)).length;
  if (unnamed > 0) problems.push(`${unnamed} task(s) without a host and pid`);
  const downloaders = [...new Set(where.map(({ host, pid }) => `${String(host)}/${String(pid)}`))];
  const hosts = [...new Set(where.map(({ host }) => String(host)))];
  if (hosts.length < minHosts)
    problems.push(`the tasks ran on ${hosts.length} host(s) (${hosts.join(', ')}), expected at least ${minHosts}`);
  const retried = tasks.filter((task) => typeof task['attempts'] === 'number' && task['attempts'] > 1).length;
  const summary = `${tasks.length} tasks on ${downloaders.length} downloader(s) on ${hosts.length} host(s)${retried > 0 ? `, ${retried} retried` : ''}`;
  return { problems, summary, runId, downloaders, hosts };
}
