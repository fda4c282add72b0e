/**
 * Ten colours that stay apart from each other and, with the dark outline the
 * bars get, stand out from the white background. More keys than colours
 * repeat them; the legend still says which is which.
 */
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
] as const;

/** The neutral grey of things that wait (a queue run's items in the stream). */
export const WAITING_COLOR = '#8c8c8c';

/**
 * Colours by key (a pid, a thread), handed out in order of first use, so one
 * process keeps its colour across every panel of a chart.
 */
export class ColorKeys {
  private readonly colors = new Map<string, string>();

  colorOf(key: string): string {
    let color = this.colors.get(key);
    if (!color) {
      color = PALETTE[this.colors.size % PALETTE.length] ?? PALETTE[0];
      this.colors.set(key, color);
    }
    return color;
  }
}
