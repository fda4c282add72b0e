import { dataAttributes, escapeXml, formatMs, niceTicks, px, truncate, type DataAttributes } from './svg.js';

/** One span of work on a row, in ms from the start of what the panel shows. */
export interface GanttBar {
  startMs: number;
  finishMs: number;
  color: string;
  /** The bar's tooltip: what it is, in words. */
  title: string;
  /** Written as data-* attributes, so tests and people can inspect every bar. */
  data: DataAttributes;
  /** Work still going: drawn faded with a dashed outline, up to the latest time known. */
  open?: boolean;
}

export interface GanttRow {
  /** Shown left of the row when it is tall enough to read. */
  label?: string;
  heightPx: number;
  bars: GanttBar[];
}

export interface GanttMarker {
  atMs: number;
  kind: 'total' | 'ideal';
  /** The tooltip, e.g. "total 938.3 ms". */
  label: string;
}

export interface GanttLegendEntry {
  label: string;
  color: string;
}

/** A block of rows under a heading, e.g. one mode of a comparison. */
export interface GanttPanel {
  title: string;
  /** A line of figures beside the title. */
  note: string;
  rows: GanttRow[];
  markers: GanttMarker[];
  legend: GanttLegendEntry[];
  /** Shown in the plot when there are no bars yet. */
  emptyText?: string;
  data: DataAttributes;
}

export interface GanttChart {
  title: string;
  description: string;
  axisLabel: string;
  panels: GanttPanel[];
  data: DataAttributes;
  width?: number;
}

const LABEL_COLUMN = 180;
const LEGEND_COLUMN = 170;
const HEADER = 22;
const TICK_LABELS = 16;
const PANEL_GAP = 14;
const LEGEND_LINE = 16;
const MIN_PLOT = 18;
/** Rows shorter than this get no label: the text would overlap. */
const MIN_LABELLED_ROW = 10;
const LABEL_CHARS = 28;

/**
 * A Gantt chart as a standalone SVG document: panels stacked on one shared
 * time axis (so a longer run looks longer), rows of bars, a legend beside
 * each panel, vertical markers for totals and ideals. Every bar is a
 * `<rect class="bar">` with data-* attributes and a `<title>` tooltip.
 */
export function renderGantt(chart: GanttChart): string {
  const width = chart.width ?? 960;
  const plotX0 = LABEL_COLUMN;
  const plotX1 = width - LEGEND_COLUMN;
  let end = 0; // a loop, not Math.max(...spread): a 10,000-item queue run has 30,000 bars
  for (const panel of chart.panels) {
    for (const row of panel.rows) for (const bar of row.bars) if (Number.isFinite(bar.finishMs)) end = Math.max(end, bar.finishMs);
    for (const marker of panel.markers) if (Number.isFinite(marker.atMs)) end = Math.max(end, marker.atMs);
  }
  const ticks = niceTicks(end);
  const domainMax = ticks[ticks.length - 1] ?? 1;
  const sx = (ms: number) => plotX0 + (Math.min(Math.max(ms, 0), domainMax) / domainMax) * (plotX1 - plotX0);

  const body: string[] = [];
  let y = 58;
  for (const panel of chart.panels) {
    const rowsHeight = Math.max(
      MIN_PLOT,
      panel.rows.reduce((sum, row) => sum + row.heightPx, 0),
    );
    const top = y + HEADER;
    const bottom = top + rowsHeight;
    body.push(`<g class="panel"${dataAttributes(panel.data)}>`);
    body.push(`<text x="8" y="${px(y + 15)}" font-size="13" font-weight="bold" fill="#111">${escapeXml(panel.title)}</text>`);
    body.push(`<text x="${plotX0}" y="${px(y + 15)}" font-size="12" fill="#333">${escapeXml(panel.note)}</text>`);
    body.push(`<rect class="plot" x="${plotX0}" y="${px(top)}" width="${px(plotX1 - plotX0)}" height="${px(rowsHeight)}" fill="#f6f6f6"/>`);
    for (const tick of ticks) {
      const x = px(sx(tick));
      body.push(`<line x1="${x}" y1="${px(top)}" x2="${x}" y2="${px(bottom)}" stroke="#dddddd"/>`);
      body.push(`<text x="${x}" y="${px(bottom + 12)}" font-size="10" text-anchor="middle" fill="#444">${formatMs(tick)}</text>`);
    }
    let rowTop = top;
    for (const row of panel.rows) {
      if (row.label !== undefined && row.heightPx >= MIN_LABELLED_ROW) {
        body.push(
          `<text x="${plotX0 - 6}" y="${px(rowTop + row.heightPx / 2)}" font-size="11" text-anchor="end" dominant-baseline="middle" fill="#222">${escapeXml(truncate(row.label, LABEL_CHARS))}</text>`,
        );
      }
      for (const bar of row.bars) body.push(barElement(bar, rowTop, row.heightPx, sx));
      rowTop += row.heightPx;
    }
    if (panel.emptyText && panel.rows.every((row) => row.bars.length === 0)) {
      body.push(
        `<text x="${px((plotX0 + plotX1) / 2)}" y="${px(top + rowsHeight / 2)}" font-size="11" text-anchor="middle" dominant-baseline="middle" fill="#555">${escapeXml(panel.emptyText)}</text>`,
      );
    }
    for (const marker of panel.markers) {
      const x = px(sx(marker.atMs));
      const dash = marker.kind === 'ideal' ? ' stroke-dasharray="5 3"' : '';
      body.push(
        `<line class="marker" data-marker="${marker.kind}" data-ms="${marker.atMs}" x1="${x}" y1="${px(top - 4)}" x2="${x}" y2="${px(bottom + 3)}" stroke="#111" stroke-width="1.5"${dash}><title>${escapeXml(marker.label)}</title></line>`,
      );
    }
    body.push(...legendElements(panel.legend, plotX1 + 14, top, rowsHeight));
    body.push('</g>');
    y = bottom + TICK_LABELS + PANEL_GAP;
  }
  const height = Math.ceil(y + 20);

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" role="img" aria-labelledby="timeline-title timeline-desc"${dataAttributes(chart.data)}>`,
    `<title id="timeline-title">${escapeXml(chart.title)}</title>`,
    `<desc id="timeline-desc">${escapeXml(chart.description)}</desc>`,
    `<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="22" font-size="16" font-weight="bold" fill="#111">${escapeXml(chart.title)}</text>`,
    `<text x="8" y="42" font-size="12" fill="#333">${escapeXml(chart.description)}</text>`,
    ...body,
    `<text x="${px((plotX0 + plotX1) / 2)}" y="${height - 8}" font-size="12" text-anchor="middle" fill="#333">${escapeXml(chart.axisLabel)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function barElement(bar: GanttBar, rowTop: number, rowHeight: number, sx: (ms: number) => number): string {
  // A little air between rows while they are tall enough to spare it.
  const inset = rowHeight >= 8 ? 2 : 0;
  const x = sx(bar.startMs);
  // Never thinner than 2 px: an instant (an item written) or a 0 ms task must still be seen and counted.
  const w = Math.max(2, sx(bar.finishMs) - x);
  const outline = rowHeight >= 6 ? ` stroke="#1a1a1a" stroke-width="0.6"${bar.open ? ' stroke-dasharray="3 2"' : ''}` : '';
  const fade = bar.open ? ' fill-opacity="0.45"' : '';
  return (
    `<rect class="bar" x="${px(x)}" y="${px(rowTop + inset)}" width="${px(w)}" height="${px(Math.max(0.5, rowHeight - 2 * inset))}" fill="${bar.color}"${fade}${outline}` +
    `${dataAttributes({ ...bar.data, state: bar.open ? 'running' : undefined })}><title>${escapeXml(bar.title)}</title></rect>`
  );
}

/** One line per entry beside the panel; what does not fit is summed up in a last "+N more" line. */
function legendElements(legend: GanttLegendEntry[], x: number, top: number, height: number): string[] {
  const room = Math.max(1, Math.floor(height / LEGEND_LINE));
  const shown = legend.length <= room ? legend : legend.slice(0, room - 1);
  const out = shown.map((entry, i) => {
    const y = top + i * LEGEND_LINE;
    return (
      `<g class="legend-entry"><rect class="swatch" x="${px(x)}" y="${px(y + 2)}" width="12" height="12" fill="${entry.color}" stroke="#1a1a1a" stroke-width="0.6"/>` +
      `<text x="${px(x + 18)}" y="${px(y + 8)}" font-size="11" dominant-baseline="middle" fill="#222">${escapeXml(truncate(entry.label, 24))}</text></g>`
    );
  });
  if (shown.length < legend.length) {
    out.push(
      `<text class="legend-more" x="${px(x)}" y="${px(top + shown.length * LEGEND_LINE + 8)}" font-size="11" dominant-baseline="middle" fill="#222">+${legend.length - shown.length} more</text>`,
    );
  }
  return out;
}
