/** One line of the chart: a name for the legend and its points in data units. */
export interface ChartSeries {
  name: string;
  points: { x: number; y: number }[];
  dashed?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  width?: number;
  height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f', '#17becf'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Powers of ten spanning [min, max], widened to whole decades. */
export function decades(min: number, max: number): number[] {
  const low = Math.floor(Math.log10(min));
  const high = Math.max(low + 1, Math.ceil(Math.log10(max)));
  return Array.from({ length: high - low + 1 }, (_, i) => 10 ** (low + i));
}

const label = (value: number) => (value >= 1 ? value.toLocaleString('en-US') : String(value));
const px = (value: number) => value.toFixed(1);

/**
 * A log-log line chart as a standalone SVG document: one polyline per series,
 * a legend, labelled axes with decade ticks. Points that are not positive
 * (log scale) are left out; a series with no points still gets its legend
 * entry and an empty polyline, so every series is accounted for.
 */
export function buildLineChart(chart: LineChart): string {
  const width = chart.width ?? 760;
  const height = chart.height ?? 460;
  const margin = { left: 80, right: 210, top: 40, bottom: 60 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const usable = chart.series.map((s) => s.points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y)));
  const all = usable.flat();
  const xTicks = decades(Math.min(1, ...all.map((p) => p.x)), Math.max(10, ...all.map((p) => p.x)));
  // Some room below the lowest line, so it does not run along the frame.
  const yTicks = decades(Math.min(...(all.length ? all.map((p) => p.y) : [1])) / 1.5, Math.max(10, ...all.map((p) => p.y)));
  const [x0, x1] = [Math.log10(xTicks[0] ?? 1), Math.log10(xTicks[xTicks.length - 1] ?? 10)];
  const [y0, y1] = [Math.log10(yTicks[0] ?? 1), Math.log10(yTicks[yTicks.length - 1] ?? 10)];
  const sx = (x: number) => margin.left + ((Math.log10(x) - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => margin.top + plotH - ((Math.log10(y) - y0) / (y1 - y0)) * plotH;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<title>${escapeXml(chart.title)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${px(margin.left + plotW / 2)}" y="22" text-anchor="middle" font-size="15">${escapeXml(chart.title)}</text>`);
  for (const tick of xTicks) {
    const x = px(sx(tick));
    out.push(`<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotH}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x}" y="${margin.top + plotH + 18}" text-anchor="middle">${label(tick)}</text>`);
  }
  for (const tick of yTicks) {
    const y = px(sy(tick));
    out.push(`<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotW}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${margin.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${label(tick)}</text>`);
  }
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${px(margin.left + plotW / 2)}" y="${height - 18}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  out.push(
    `<text x="20" y="${px(margin.top + plotH / 2)}" text-anchor="middle" transform="rotate(-90 20 ${px(margin.top + plotH / 2)})">${escapeXml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, index) => {
    const color = COLORS[index % COLORS.length] ?? '#000';
    const points = [...(usable[index] ?? [])].sort((a, b) => a.x - b.x);
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    const coords = points.map((p) => `${px(sx(p.x))},${px(sy(p.y))}`).join(' ');
    out.push(
      `<polyline data-series="${escapeXml(series.name)}" points="${coords}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    for (const p of points) out.push(`<circle cx="${px(sx(p.x))}" cy="${px(sy(p.y))}" r="3" fill="${color}"/>`);
    const ly = margin.top + 10 + index * 20;
    const lx = margin.left + plotW + 15;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 30}" y="${ly}" dominant-baseline="middle">${escapeXml(series.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
