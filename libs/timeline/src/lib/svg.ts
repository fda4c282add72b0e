/**
 * The small pieces every chart here is written with. Charts are built as
 * strings (no DOM on the server); everything that came from a caller goes
 * through escapeXml, so a file name cannot break or inject markup.
 */

/** Characters XML 1.0 forbids outright (control characters, unpaired surrogates, U+FFFE/U+FFFF): escaping cannot save them. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value as XML: markup escaped, characters XML cannot carry replaced by U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/** At most `max` characters (code points, so an emoji is never cut in half), with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** A coordinate: one decimal is finer than a pixel and keeps the document small. */
export const px = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '0.0');

/** A duration for people: whole ms when large, one decimal when small. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '?';
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return rounded.toLocaleString('en-US');
}

export type DataAttributes = Record<string, string | number | undefined>;

/** `data-*` attributes, escaped; undefined values are left out. Keys are ours (kebab-case), never a caller's. */
export function dataAttributes(data: DataAttributes): string {
  return Object.entries(data)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` data-${key}="${escapeXml(String(value))}"`)
    .join('');
}

/**
 * Ticks from 0 to at least `max`, `target` or so of them, at 1, 2 or 5 times
 * a power of ten; the last tick is where the axis ends, so every bar fits.
 */
export function niceTicks(max: number, target = 6): number[] {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const rough = top / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  const count = Math.ceil(top / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Math.round(i * step * 1e6) / 1e6);
}
