import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchRow } from './rows.js';
import type { TargetResult } from './targets.js';

/** What one bench run leaves for comparison across commits. */
export interface BenchResults {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  wallMs: number;
  quick: boolean;
  commit: string | null;
  machine: Record<string, string | number>;
  notes: string[];
  rows: BenchRow[];
  targets: TargetResult[];
}

/** `2026-05-01T12-30-05-123Z`: an ISO time that is a safe file name everywhere. */
export function fileStamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Writes latest.json, bench-<time>.json and scale-curve.svg into dir; returns the paths written. */
export async function writeResults(dir: string, results: BenchResults, svg: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = JSON.stringify(results, null, 2) + '\n';
  const paths = [join(dir, 'latest.json'), join(dir, `bench-${fileStamp(new Date(results.startedAt))}.json`), join(dir, 'scale-curve.svg')];
  await writeFile(paths[0] as string, json);
  await writeFile(paths[1] as string, json);
  await writeFile(paths[2] as string, svg);
  return paths;
}
