import type { Logger } from '@concurrency-lab/logger';

/** An item a log line is about. */
export interface LoggedItem {
  seq: number;
  item: string;
}

/** Most items one burst line names; a longer burst is split into several lines. */
const MAX_ITEMS_PER_LINE = 1_000;

/** "1-3,5,7-8": sequence numbers as sorted ranges, short enough for one log line however many there are. */
export function formatSeqRanges(seqs: readonly number[]): string {
  const sorted = [...seqs].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let end = i;
    while (end + 1 < sorted.length && sorted[end + 1] === (sorted[end] as number) + 1) end++;
    ranges.push(end === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[end]}`);
    i = end + 1;
  }
  return ranges.join(',');
}

/**
 * One line about some items: a single item gets its own line with its seq and
 * text (`one`); a burst gets one line with the seq ranges and a count (`many`).
 * A slow run thus still tells its story item by item, while a quick run of
 * 10,000 items logs a few dozen lines rather than 10,000.
 */
export function logItems<Item extends LoggedItem>(
  logger: Logger,
  items: readonly Item[],
  messages: { one: string; many: string },
  fieldsOfOne: (item: Item) => Record<string, unknown> = () => ({}),
): void {
  const [first] = items;
  if (!first) return;
  if (items.length === 1) {
    logger.info({ seq: first.seq, item: first.item, ...fieldsOfOne(first) }, messages.one);
    return;
  }
  logger.info({ seqs: formatSeqRanges(items.map((item) => item.seq)), count: items.length }, messages.many);
}

/**
 * Collects the items of a burst (whatever happens before the event loop turns)
 * and logs them with logItems once the burst is over.
 */
export class BurstLog<Item extends LoggedItem> {
  private pending: Item[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly messages: { one: string; many: string },
    private readonly fieldsOfOne?: (item: Item) => Record<string, unknown>,
  ) {}

  add(item: Item): void {
    this.pending.push(item);
    if (this.pending.length >= MAX_ITEMS_PER_LINE) this.flush();
    else this.scheduled ??= setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const items = this.pending;
    this.pending = [];
    logItems(this.logger, items, this.messages, this.fieldsOfOne);
  }
}
