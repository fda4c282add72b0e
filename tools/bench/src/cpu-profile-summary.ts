/**
 * `node tools/bench/dist/cpu-profile-summary.js DIR|FILE... [--top N] [--by function|file]`:
 * where the time of `node --cpu-prof` profiles went. Sums each node's self time
 * (its samples times the sampling interval) per function or per file over
 * every .cpuprofile given (a directory: all of them, e.g. one per task process),
 * and prints the top entries with their share of the total, per profile on average.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** The part of V8's .cpuprofile this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  key: string;
  ms: number;
}

/** `file` of a url: node_modules/<package>/..., node:internal/..., or the path under the repo. */
export function shortUrl(url: string): string {
  if (url === '') return '(native or V8)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules);
  return url.replace(/^file:\/\//, '').replace(/^.*\/(libs|apps|tools)\//, '$1/');
}

function keyOf(frame: CpuProfile['nodes'][number]['callFrame'], by: 'function' | 'file'): string {
  const file = shortUrl(frame.url);
  if (by === 'file') return file;
  const name = frame.functionName || '(anonymous)';
  return frame.url === '' ? name : `${name} ${file}:${frame.lineNumber + 1}`;
}

/** Self time in ms per function or file: each sample is charged its time delta (V8 stores the delta before it, so the next one's). */
export function selfTimes(profile: CpuProfile, by: 'function' | 'file'): Map<string, number> {
  const keys = new Map(profile.nodes.map((node) => [node.id, keyOf(node.callFrame, by)]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const totals = new Map<string, number>();
  for (let i = 0; i < samples.length; i++) {
    const key = keys.get(samples[i] ?? -1) ?? '(unknown)';
    const micros = deltas[i + 1] ?? 0;
    totals.set(key, (totals.get(key) ?? 0) + micros / 1000);
  }
  return totals;
}

/** Adds up several profiles' self times; the result is sorted, biggest first. */
export function summarise(profiles: readonly CpuProfile[], by: 'function' | 'file'): SelfTime[] {
  const totals = new Map<string, number>();
  for (const profile of profiles) for (const [key, ms] of selfTimes(profile, by)) totals.set(key, (totals.get(key) ?? 0) + ms);
  return [...totals].map(([key, ms]) => ({ key, ms })).sort((a, b) => b.ms - a.ms || a.key.localeCompare(b.key));
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

function main(argv: readonly string[]): void {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { top: { type: 'string', default: '25' }, by: { type: 'string', default: 'function' } },
    allowPositionals: true,
  });
  const by = values.by === 'file' ? 'file' : 'function';
  const files = profileFiles(positionals);
  if (files.length === 0) throw new Error('usage: cpu-profile-summary DIR|FILE... [--top N] [--by function|file]');
  const profiles = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const rows = summarise(profiles, by);
  const total = rows.reduce((sum, r) => sum + r.ms, 0);
  const wall = profiles.reduce((sum, p) => sum + (p.endTime - p.startTime) / 1000, 0);
  const perProfile = (ms: number) => (ms / profiles.length).toFixed(1).padStart(7);
  process.stdout.write(
    `${profiles.length} profile(s); per profile: ${(wall / profiles.length).toFixed(1)} ms profiled, ${(total / profiles.length).toFixed(1)} ms sampled\n` +
      `${'ms/profile'.padStart(10)}  share  ${by}\n`,
  );
  for (const r of rows.slice(0, Number(values.top))) {
    process.stdout.write(`${perProfile(r.ms).padStart(10)}  ${((r.ms / total) * 100).toFixed(1).padStart(4)}%  ${r.key}\n`);
  }
}

// Run as a program, not when a spec imports it.
if (import.meta.main) main(process.argv.slice(2));
