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
    if (missing.length > 0 || extra.length > 0) problems.push(`${mode}: tasks ${JSON.stringify(taskNames)} differ from ${JSON.stringify(names)}`);
    const pids = tasks.map((task) => task['pid']);
    const bad = pids.filter((pid) => !isPid(pid));
    if (bad.length > 0) problems.push(`${mode}: ${bad.length} task(s) without a pid`);
    if ((mode === 'sequential' || mode === 'async' || mode === 'threads') && isPid(coordinatorPid) && pids.some((pid) => pid !== coordinatorPid)) {
      problems.push(`${mode}: pids ${pids.join(', ')} should all be the coordinator's ${coordinatorPid}`);
    }
    if (mode === 'processes') {
      processPids = pids.filter(isPid);
      if (new Set(processPids).size !== tasks.length) problems.push(`processes: pids ${pids.join(', ')} should be one new process per task`);
      if (processPids.includes(coordinatorPid as number)) problems.push(`processes: a task ran in the coordinator's own process ${String(coordinatorPid)}`);
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
  if (typeof body['readOnce'] === 'number' && typeof body['readAgain'] === 'number' && body['readOnce'] + body['readAgain'] !== items.length) {
    problems.push(`readOnce ${body['readOnce']} + readAgain ${body['readAgain']} is not the ${items.length} items`);
  }
  const readerNames = readers.map((reader) => `${String(reader['host'])}/${String(reader['pid'])}`);
  const spread = readers.map((reader) => String(reader['items'])).join('+');
  const summary = `${timeline.length}/${items.length} items, writer pid ${String(body['writerPid'])}, ${readers.length} reader(s) (${spread} items), ${String(body['totalMs'])} ms`;
  return { problems, summary, runId, readers: readerNames };
}
