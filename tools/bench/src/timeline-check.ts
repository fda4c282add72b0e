/** What a queue run's timeline must show: every seq from 1 to items exactly once. */
export interface TimelineCheck {
  ok: boolean;
  missing: number[];
  duplicated: number[];
  unexpected: number[];
}

export function checkTimeline(timeline: readonly { seq: number }[], items: number): TimelineCheck {
  const seen = new Map<number, number>();
  for (const entry of timeline) seen.set(entry.seq, (seen.get(entry.seq) ?? 0) + 1);
  const missing: number[] = [];
  for (let seq = 1; seq <= items; seq++) if (!seen.has(seq)) missing.push(seq);
  const duplicated = [...seen].filter(([seq, times]) => times > 1 && seq >= 1 && seq <= items).map(([seq]) => seq);
  const unexpected = [...seen.keys()].filter((seq) => !Number.isInteger(seq) || seq < 1 || seq > items);
  return { ok: missing.length === 0 && duplicated.length === 0 && unexpected.length === 0, missing, duplicated, unexpected };
}

export function describeTimelineCheck(check: TimelineCheck): string {
  if (check.ok) return 'every seq exactly once';
  const few = (list: number[]) => `${list.length} (${list.slice(0, 5).join(', ')}${list.length > 5 ? ', ...' : ''})`;
  return [
    check.missing.length ? `missing ${few(check.missing)}` : '',
    check.duplicated.length ? `duplicated ${few(check.duplicated)}` : '',
    check.unexpected.length ? `unexpected ${few(check.unexpected)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
