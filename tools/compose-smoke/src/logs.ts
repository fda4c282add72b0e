/** One line of `compose logs --no-color`: which container said it, and what. */
export interface LogLine {
  /** "reader_2" (Compose v1) or "reader-2" (v2), as compose prefixes it. */
  container: string;
  text: string;
}

/** ESC [ ... letter: terminal control sequences (built from the escape character, as a regex literal with it trips eslint's no-control-regex). */
const CONTROL_SEQUENCE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
const stripVT100 = (text: string) => text.replace(CONTROL_SEQUENCE, '');

/**
 * `compose logs --no-color [service]` output → its lines. Compose prefixes
 * each with the container's name padded to a column and "| "; lines without
 * that prefix (v1's "Attaching to ...") are not a service's and are dropped.
 */
export function parseComposeLogs(output: string): LogLine[] {
  const lines: LogLine[] = [];
  // Compose v2 may put terminal control sequences (erase line) before a prefix, even with --no-color.
  for (const raw of stripVT100(output).split(/\r?\n/)) {
    const match = /^(\S+?)\s*\|\s?(.*)$/.exec(raw);
    if (match?.[1] && match[2] !== undefined) lines.push({ container: match[1], text: match[2] });
  }
  return lines;
}

/**
 * Does a line belong to the run: a JSON (pino) line whose runId is it, or,
 * for a line that is not JSON (LOG_FORMAT=pretty), one that names it.
 */
export function lineHasRunId(text: string, runId: string): boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return (parsed as Record<string, unknown>)['runId'] === runId;
    } catch {
      // not JSON after all: fall through to the text search
    }
  }
  return trimmed.includes(runId);
}

/** For each run id, which containers logged it, and how many lines each. */
export function runIdsByContainer(lines: readonly LogLine[], runIds: readonly string[]): Map<string, Map<string, number>> {
  const found = new Map<string, Map<string, number>>(runIds.map((id) => [id, new Map<string, number>()]));
  for (const line of lines) {
    for (const id of runIds) {
      if (!lineHasRunId(line.text, id)) continue;
      const containers = found.get(id);
      containers?.set(line.container, (containers.get(line.container) ?? 0) + 1);
    }
  }
  return found;
}

export interface ExpectedRun {
  runId: string;
  /** For messages: "simulation", "queue run 1", … */
  what: string;
}

export interface ServiceLogCheck {
  problems: string[];
  summary: string;
}

/** Every expected run id appears in the service's logs (in any of its containers). */
export function checkServiceLogs(service: string, output: string, expected: readonly ExpectedRun[]): ServiceLogCheck {
  const lines = parseComposeLogs(output);
  const found = runIdsByContainer(
    lines,
    expected.map((run) => run.runId),
  );
  const problems: string[] = [];
  const parts: string[] = [];
  for (const run of expected) {
    const containers = found.get(run.runId) ?? new Map<string, number>();
    const total = [...containers.values()].reduce((sum, n) => sum + n, 0);
    if (total === 0) problems.push(`${service} logged nothing for ${run.what} ${run.runId} (${lines.length} lines in its logs)`);
    else parts.push(`${run.what} ${total} lines${containers.size > 1 ? ` in ${[...containers.keys()].sort().join(', ')}` : ''}`);
  }
  return {
    problems,
    summary: `${service}: ${expected.length - problems.length}/${expected.length} run ids (${parts.join('; ') || 'none'})`,
  };
}

/** The last `count` lines of every service's logs, for a failure report. */
export function tailLines(output: string, count: number): string[] {
  const lines = output.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(Math.max(0, lines.length - count));
}

type Dict = Record<string, unknown>;
function jsonOf(text: string): Dict | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Dict) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A run's story as `compose logs` tells it: every JSON line of the run from
 * every container, in time order, as "time container message item/seq".
 */
export function runStory(lines: readonly LogLine[], runId: string): string[] {
  const entries = lines.flatMap((line) => {
    const json = jsonOf(line.text);
    return json && json['runId'] === runId ? [{ container: line.container, json }] : [];
  });
  entries.sort((a, b) => String(a.json['time']).localeCompare(String(b.json['time'])));
  return entries.map(({ container, json }) => {
    const time = String(json['time'] ?? '').slice(11, 23);
    const what = ['seq', 'item', 'items', 'totalMs']
      .filter((key) => json[key] !== undefined)
      .map((key) => `${key}=${typeof json[key] === 'string' ? json[key] : JSON.stringify(json[key])}`)
      .join(' ');
    return `${time} ${container.padEnd(14)} ${String(json['msg'] ?? '')}${what ? `  ${what}` : ''}`;
  });
}

/** pino-pretty's line with LOG_FORMAT=pretty: "[HH:MM:ss.mmm] LEVEL (pid): service: message {fields}". */
const PRETTY_LINE = /^\[\d\d:\d\d:\d\d\.\d{3}\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) \(\d+\): (\w+): \S/;

/** With LOG_FORMAT=pretty, every line a service logs is a readable one, not JSON; the problems, and how many lines were readable. */
export function checkPrettyLogs(service: string, lines: readonly LogLine[]): { problems: string[]; readable: number } {
  const problems: string[] = [];
  let readable = 0;
  for (const line of lines) {
    const match = PRETTY_LINE.exec(line.text);
    if (match?.[2] === service) readable += 1;
    else problems.push(`${line.container} wrote a line that is not a readable ${service} line: ${line.text.slice(0, 120)}`);
  }
  if (readable === 0) problems.push(`${service} logged no readable line`);
  return { problems: problems.slice(0, 3), readable };
}

/** The lines of docs-check's report that belong to failed blocks (a `FAIL file:line` header and what follows it), at most 60. */
export function failedBlockLines(report: string): string[] {
  const shown: string[] = [];
  let inFailed = false;
  for (const line of report.split('\n')) {
    if (/^(ok {2}|FAIL) \S+:\d+/.test(line)) inFailed = line.startsWith('FAIL');
    if (inFailed) shown.push(line);
  }
  return shown.slice(0, 60);
}
