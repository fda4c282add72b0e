import { describe, expect, it } from 'vitest';
import { sampleValue } from './prometheus-text.js';

const text = [
  '# HELP process_resident_memory_bytes Resident memory size in bytes.',
  '# TYPE process_resident_memory_bytes gauge',
  'process_resident_memory_bytes{service="coordinator"} 78643200',
  'lab_simulation_runs_total{mode="async",outcome="finished",service="coordinator"} 1000',
  'broken_sample{service="coordinator"} NaN',
  '',
].join('\n');

describe('sampleValue', () => {
  it('reads the first sample whose line starts with the prefix, labels included', () => {
    expect(sampleValue(text, 'process_resident_memory_bytes{service="coordinator"}')).toBe(78_643_200);
    expect(sampleValue(text, 'lab_simulation_runs_total{mode="async"')).toBe(1000);
  });

  it('is undefined for a missing sample (comments are not samples) or a value that is not a number', () => {
    expect(sampleValue(text, 'process_resident_memory_bytes{service="writer"}')).toBeUndefined();
    expect(sampleValue(text, 'nodejs_heap_size_used_bytes')).toBeUndefined();
    expect(sampleValue(text, 'broken_sample')).toBeUndefined();
  });
});
