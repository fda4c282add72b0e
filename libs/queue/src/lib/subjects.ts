/**
 * Every name on the wire, in one file: read it to see the whole protocol.
 *
 *   coordinator --request lab.writer.runs--> writer           (core request-reply, queue group "writers")
 *   writer      --publish lab.queue.items.<runId>--> stream LAB_QUEUE   (JetStream, work-queue retention)
 *   reader      <--pull consumer "readers"-- stream LAB_QUEUE
 *   writer, reader --publish lab.events.<runId>.<kind>--> coordinator  (core pub-sub)
 */
export const QUEUE_STREAM = 'LAB_QUEUE';
export const READER_CONSUMER = 'readers';
export const ITEM_SUBJECT_ROOT = 'lab.queue.items';
export const WRITER_REQUEST_SUBJECT = 'lab.writer.runs';
export const WRITER_QUEUE_GROUP = 'writers';
export const EVENT_SUBJECT_ROOT = 'lab.events';

export type RunEventKind = 'written' | 'read' | 'writer-finished' | 'writer-failed';

export function itemSubject(runId: string): string {
  return `${ITEM_SUBJECT_ROOT}.${runId}`;
}

export function runEventSubject(runId: string, kind: RunEventKind): string {
  return `${EVENT_SUBJECT_ROOT}.${runId}.${kind}`;
}

export function runEventsWildcard(runId: string): string {
  return `${EVENT_SUBJECT_ROOT}.${runId}.>`;
}

/** The JetStream de-duplication id of an item: a retried publish of the same item is stored once. */
export function itemMessageId(runId: string, seq: number): string {
  return `${runId}:${seq}`;
}
