import { describe, expect, it } from 'vitest';
import { sampleValue } from './metrics.js';

const text = [
  '# HELP process_resident_memory_bytes Resident memory size in bytes.',
  '# TYPE process_resident_memory_bytes gauge',
  'process_resident_memory_bytes{service="coordinator"} 78643200',
  'lab_simulation_runs_total{mode="async",outcome="finished",service="coordinator"} 1000',
  '',
].join('\n');

describe('sampleValue', () => {
  it('reads the value of the first sample whose line starts with the prefix, labels included', () => {
    expect(sampleValue(text, 'process_resident_memory_bytes{service="coordinator"}')).toBe(78_643_200);
    expect(sampleValue(text, 'lab_simulation_runs_total{mode="async"')).toBe(1000);
  });

  it('is undefined for a sample that is not there (comments are not samples)', () => {
    expect(sampleValue(text, 'process_resident_memory_bytes{service="writer"}')).toBeUndefined();
    expect(sampleValue(text, 'nodejs_heap_size_used_bytes')).toBeUndefined();
  });
});
