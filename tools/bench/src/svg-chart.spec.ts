import { describe, expect, it } from 'vitest';
import { buildLineChart, decades, escapeXml } from './svg-chart.js';

const chart = () =>
  buildLineChart({
    title: 'Scale curve <N tasks>',
    xLabel: 'tasks per run (log scale)',
    yLabel: 'total time, ms (log scale)',
    series: [
      {
        name: 'sequential',
        points: [
          { x: 1, y: 100 },
          { x: 10, y: 1000 },
        ],
      },
      {
        name: 'processes',
        points: [
          { x: 1, y: 230 },
          { x: 10, y: 650 },
          { x: 100, y: 7500 },
        ],
      },
      {
        name: 'async',
        points: [
          { x: 100, y: 101 },
          { x: 1, y: 100 },
          { x: 1000, y: 105 },
        ],
      },
      { name: 'python & co', dashed: true, points: [{ x: 1, y: 105 }] },
    ],
  });

function polylines(svg: string): { series: string; points: [number, number][] }[] {
  return [...svg.matchAll(/<polyline data-series="([^"]*)" points="([^"]*)"/g)].map((m) => ({
    series: m[1] ?? '',
    points: (m[2] ?? '')
      .split(' ')
      .filter(Boolean)
      .map((pair) => pair.split(',').map(Number) as [number, number]),
  }));
}

describe('buildLineChart', () => {
  it('is one well-formed SVG document', () => {
    const svg = chart();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<svg\b/g)).toHaveLength(1);
    // Every element is closed: self-closing, or opened and closed by name.
    const opened = [...svg.matchAll(/<(\w+)\b[^>]*?(\/?)>/g)].filter((m) => m[2] !== '/').map((m) => m[1]);
    const closed = [...svg.matchAll(/<\/(\w+)>/g)].map((m) => m[1]);
    expect(closed.sort()).toEqual(opened.sort());
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('draws one polyline per series, named as in the legend', () => {
    const lines = polylines(chart());
    expect(lines.map((l) => l.series)).toEqual(['sequential', 'processes', 'async', 'python &amp; co']);
    expect(lines.map((l) => l.points.length)).toEqual([2, 3, 3, 1]);
  });

  it('sorts points by x and keeps them inside the plot', () => {
    const async = polylines(chart()).find((l) => l.series === 'async');
    const xs = async?.points.map(([x]) => x) ?? [];
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    for (const [x, y] of async?.points ?? []) {
      expect(x).toBeGreaterThanOrEqual(80);
      expect(x).toBeLessThanOrEqual(760 - 210);
      expect(y).toBeGreaterThanOrEqual(40);
      expect(y).toBeLessThanOrEqual(460 - 60);
    }
  });

  it('labels both axes and escapes text', () => {
    const svg = chart();
    expect(svg).toContain('tasks per run (log scale)');
    expect(svg).toContain('total time, ms (log scale)');
    expect(svg).toContain('Scale curve &lt;N tasks&gt;');
    expect(svg).toContain('stroke-dasharray');
  });

  it('leaves out points a log scale cannot show and copes with no data', () => {
    const svg = buildLineChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        {
          name: 'empty',
          points: [
            { x: 0, y: 5 },
            { x: 3, y: -1 },
          ],
        },
      ],
    });
    expect(polylines(svg)).toEqual([{ series: 'empty', points: [] }]);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

describe('helpers', () => {
  it('decades spans whole powers of ten', () => {
    expect(decades(1, 1000)).toEqual([1, 10, 100, 1000]);
    expect(decades(80, 7500)).toEqual([10, 100, 1000, 10000]);
    expect(decades(5, 5)).toEqual([1, 10]);
  });

  it('escapeXml', () => {
    expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
  });
});
