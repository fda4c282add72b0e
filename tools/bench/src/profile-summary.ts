/**
 * Reads a V8 .cpuprofile (`node --cpu-prof --cpu-prof-dir=DIR ...`) and prints
 * where the time went: self time per function, per file and per package, the
 * top N of each. With `--requests N` each figure is also given in µs per
 * request, so a profile taken under a known load says what a request costs.
 *
 *   node tools/bench/dist/profile-summary.js /tmp/prof [--top 25] [--requests 9000] [--filter libs/]
 *
 * Given several profiles (a folder, or several files: one per process or
 * thread), it sums them and says what one took on average.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What this tool reads of a .cpuprofile (Chrome DevTools' Profile type). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  /** A function (`name file:line`), a file, or a package. */
  key: string;
  /** Microseconds of samples that were in it (not in what it called). */
  selfUs: number;
}

export interface ProfileSummary {
  /** How many profiles were summed (one per process or thread profiled). */
  profiles: number;
  totalUs: number;
  /** V8's own entries: (idle), (garbage collector), (program). */
  idleUs: number;
  functions: SelfTime[];
  files: SelfTime[];
  packages: SelfTime[];
  /** Per function, its own time and that of everything it called (`selfUs` holds that total here). */
  inclusive: SelfTime[];
}

/** V8 names these itself; they belong to no file. */
const V8_ENTRIES = new Set(['(idle)', '(garbage collector)', '(program)', '(root)']);

/**
 * A script's URL as a short path: relative to the repository root when under
 * it, `node:` for Node's own, `(v8)` for none.
 */
export function shortFile(url: string, root: string): string {
  if (url === '') return '(v8)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (root && path.startsWith(root)) return path.slice(root.length).replace(/^\/+/, '');
  return path;
}

/** The package a file belongs to: `node_modules/<pkg>` (scoped too), a project's folder (`libs/http`), `node:`, or `(v8)`. */
export function packageOf(file: string): string {
  if (file === '(v8)') return file;
  if (file.startsWith('node:')) return 'node: (Node.js internals)';
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = file.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? file);
  }
  const project = /^(apps|libs|tools)\/[^/]+/.exec(file);
  return project ? project[0] : file;
}

/** Self time per sample: each sample lasts until the next one; the last until the profile's end. */
function sampleDurations(profile: CpuProfile): number[] {
  const times: number[] = [];
  let at = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((at += delta));
  return times.map((time, i) => Math.max(0, (times[i + 1] ?? profile.endTime) - time));
}

function sortedTop(totals: Map<string, number>, top: number, filter = ''): SelfTime[] {
  return [...totals.entries()]
    .filter(([key]) => key.includes(filter))
    .map(([key, selfUs]) => ({ key, selfUs }))
    .sort((a, b) => b.selfUs - a.selfUs || a.key.localeCompare(b.key))
    .slice(0, top);
}

const add = (totals: Map<string, number>, key: string, us: number) => totals.set(key, (totals.get(key) ?? 0) + us);

type Frame = CpuProfile['nodes'][number]['callFrame'];

/** A function's key: `name file:line` (lineNumber is 0-based in the profile; editors count from 1), or V8's own entry. */
function functionKey(frame: Frame, root: string): string {
  if (V8_ENTRIES.has(frame.functionName)) return frame.functionName;
  return `${frame.functionName || '(anonymous)'} ${shortFile(frame.url, root)}:${frame.lineNumber + 1}`;
}

/** Each function's time with what it called: a sample counts once for every function on its stack (once, however deep it recurses). */
function inclusiveTimes(profile: CpuProfile, durations: readonly number[], keyOf: (id: number) => string | undefined): Map<string, number> {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const key = keyOf(at);
      if (key && key !== '(root)') seen.add(key);
    }
    for (const key of seen) add(totals, key, durations[i] ?? 0);
  });
  return totals;
}

/** Sums self time per function, per file and per package, and each function's inclusive time, over one profile or several (one per process); `root` shortens paths. */
export function summariseProfile(
  given: CpuProfile | readonly CpuProfile[],
  options: { top?: number; root?: string; filter?: string } = {},
): ProfileSummary {
  const profiles = Array.isArray(given) ? (given as readonly CpuProfile[]) : [given as CpuProfile];
  const top = options.top ?? 20;
  const root = options.root ?? '';
  const filter = options.filter ?? '';
  const totals = { functions: new Map<string, number>(), files: new Map<string, number>(), packages: new Map<string, number>() };
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const profile of profiles) {
    const keys = new Map(profile.nodes.map((node) => [node.id, functionKey(node.callFrame, root)]));
    const durations = sampleDurations(profile);
    const own = addSelfTimes(profile, durations, keys, root, totals);
    totalUs += own.totalUs;
    idleUs += own.idleUs;
    for (const [key, us] of inclusiveTimes(profile, durations, (id) => keys.get(id))) add(inclusive, key, us);
  }
  return {
    profiles: profiles.length,
    totalUs,
    idleUs,
    functions: sortedTop(totals.functions, top, filter),
    files: sortedTop(totals.files, top, filter),
    packages: sortedTop(totals.packages, top, filter),
    inclusive: sortedTop(inclusive, top, filter),
  };
}

type SelfTotals = { functions: Map<string, number>; files: Map<string, number>; packages: Map<string, number> };

/** Adds one profile's samples to the self-time totals; returns its total and idle time. */
function addSelfTimes(profile: CpuProfile, durations: readonly number[], keys: Map<number, string>, root: string, totals: SelfTotals) {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const us = durations[i] ?? 0;
    const frame = frames.get(id);
    if (!frame) return;
    totalUs += us;
    const own = V8_ENTRIES.has(frame.functionName);
    if (frame.functionName === '(idle)') idleUs += us;
    const file = own ? frame.functionName : shortFile(frame.url, root);
    add(totals.functions, keys.get(id) ?? file, us);
    add(totals.files, file, us);
    add(totals.packages, own ? file : packageOf(file), us);
  });
  return { totalUs, idleUs };
}

/** The summary as text: three tables, each line the self ms, its share of the busy (not idle) time and, given requests, µs per request. */
export function formatSummary(summary: ProfileSummary, requests?: number): string {
  const busyUs = summary.totalUs - summary.idleUs;
  const line = ({ key, selfUs }: SelfTime) => {
    const ms = (selfUs / 1000).toFixed(1).padStart(9);
    const share = key === '(idle)' ? '      ' : `${((selfUs / Math.max(busyUs, 1)) * 100).toFixed(1).padStart(5)}%`;
    const perRequest = requests ? `${(selfUs / requests).toFixed(1).padStart(8)} µs/req` : '';
    return `${ms} ms ${share}${perRequest}  ${key}`;
  };
  const table = (title: string, rows: SelfTime[]) => [`\n${title}`, ...rows.map(line)].join('\n');
  const perProfile =
    summary.profiles > 1 ? ` (${summary.profiles} profiles; per profile: busy ${(busyUs / summary.profiles / 1000).toFixed(1)} ms)` : '';
  const head =
    `profile ${(summary.totalUs / 1000).toFixed(0)} ms, busy ${(busyUs / 1000).toFixed(0)} ms (not idle)${perProfile}` +
    (requests ? `, ${requests} requests: ${(busyUs / requests).toFixed(1)} µs busy per request` : '');
  return [
    head,
    table('self time by package', summary.packages),
    table('self time by file', summary.files),
    table('self time by function', summary.functions),
    table('total time by function (itself and what it called)', summary.inclusive),
  ].join('\n');
}

interface CliOptions {
  /** .cpuprofile files, or folders of them (`--cpu-prof-dir` writes one per process and thread). */
  paths: string[];
  top: number;
  requests?: number;
  /** Only the entries whose name holds this text (a file, a package, a function). */
  filter?: string;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const paths: string[] = [];
  let top = 25;
  let requests: number | undefined;
  let filter: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = Number(argv[++i]);
      if (!Number.isInteger(next) || next <= 0) throw new Error(`${arg} takes a whole number above 0`);
      return next;
    };
    if (arg === '--top') top = value();
    else if (arg === '--requests') requests = value();
    else if (arg === '--filter') filter = argv[++i] ?? '';
    else if (arg?.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (arg) paths.push(arg);
  }
  if (paths.length === 0) throw new Error('usage: profile-summary FILE.cpuprofile|DIR... [--top N] [--requests N] [--filter TEXT]');
  return { paths, top, ...(requests === undefined ? {} : { requests }), ...(filter === undefined ? {} : { filter }) };
}

function profileFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => name.endsWith('.cpuprofile'))
          .map((name) => join(path, name))
      : [path],
  );
}

function main(): void {
  try {
    const options = parseArgs(process.argv.slice(2));
    const files = profileFiles(options.paths);
    if (files.length === 0) throw new Error(`no .cpuprofile in ${options.paths.join(', ')}`);
    const profile = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    process.stdout.write(
      formatSummary(
        summariseProfile(profile, { top: options.top, root, ...(options.filter === undefined ? {} : { filter: options.filter }) }),
        options.requests,
      ) + '\n',
    );
  } catch (error) {
    process.stderr.write(`profile-summary: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
