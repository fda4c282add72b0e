import { describe, expect, it } from 'vitest';
import { shortUrl, summarise, type CpuProfile } from './cpu-profile-summary.js';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '') },
    { id: 2, callFrame: frame('load', 'file:///repo/node_modules/pino/pino.js') },
    { id: 3, callFrame: frame('main', 'file:///repo/libs/simulation/dist/lib/task-process.js') },
  ],
  startTime: 0,
  endTime: 10_000,
  samples: [2, 2, 3, 1],
  // V8 stores the time before each sample; a sample's own time is the next delta.
  timeDeltas: [0, 1_000, 2_000, 3_000],
};

describe('cpu profile summary', () => {
  it('sums self time per function, biggest first', () => {
    expect(summarise([profile], 'function')).toEqual([
      { key: 'load node_modules/pino/pino.js:1', ms: 3 },
      { key: 'main libs/simulation/dist/lib/task-process.js:1', ms: 3 },
      { key: '(root)', ms: 0 },
    ]);
  });

  it('adds up several profiles per file', () => {
    const [top] = summarise([profile, profile], 'file');
    expect(top?.ms).toBe(6);
    expect(shortUrl('node:internal/modules/esm/resolve')).toBe('node:internal/modules/esm/resolve');
    expect(shortUrl('')).toBe('(native or V8)');
  });
});
