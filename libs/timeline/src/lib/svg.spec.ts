import { describe, expect, it } from 'vitest';
import { dataAttributes, escapeXml, formatMs, niceTicks, truncate } from './svg.js';

describe('escapeXml', () => {
  it('escapes markup and both quotes', () => {
    expect(escapeXml(`<script>alert("x") & 'y'</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;');
  });

  it('replaces what XML cannot carry at all, and keeps what it can', () => {
    expect(escapeXml('a\u0000b\u001Fc\uFFFEd')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
    expect(escapeXml('tab\tnew\nline')).toBe('tab\tnew\nline');
    expect(escapeXml('lone \uD800 high, lone \uDC00 low')).toBe('lone \uFFFD high, lone \uFFFD low');
    expect(escapeXml('pair 😀 kept, ünïcødé too')).toBe('pair 😀 kept, ünïcødé too');
  });
});

describe('truncate', () => {
  it('cuts by code point, never inside an emoji', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
  });
});

describe('dataAttributes', () => {
  it('writes escaped data-* attributes and leaves out undefined values', () => {
    expect(dataAttributes({ mode: 'pool', task: 2, name: 'a"b', gone: undefined })).toBe(
      ' data-mode="pool" data-task="2" data-name="a&quot;b"',
    );
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten and ends at or past the maximum', () => {
    expect(niceTicks(938.3)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(1600)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(niceTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0.3)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
  });

  it('copes with nothing to show', () => {
    expect(niceTicks(0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe('formatMs', () => {
  it('rounds like a person would read it', () => {
    expect(formatMs(938.34)).toBe('938');
    expect(formatMs(12.34)).toBe('12.3');
    expect(formatMs(20260.8)).toBe('20,261');
  });
});
