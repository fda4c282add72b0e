/**
 * Every name on the wire, in one file: read it to see the whole protocol.
 *
 *   coordinator --request lab.writer.runs--> writer                  (core request-reply, queue group "writers")
 *   writer --publish lab.queue.items.<runId>--> stream LAB_QUEUE      (JetStream, work-queue retention)
 *          or lab.core.items.<runId>.<seq>                           (transport "core": plain queue group, no stream; core-items.ts)
 *   reader <--pull consumer "readers"-- stream LAB_QUEUE
 *   writer --publish lab.events.<runId>.writer-finished|writer-failed--> stream LAB_EVENTS --ordered consumer--> coordinator
 *   reader --publish lab.events.<runId>.reads.<readerId>.<n>--> stream LAB_EVENTS   (one report per burst of reads, or of items handed back)
 *   writer --publish lab.writer.heartbeat.<runId>--> coordinator      (core: "still writing", every second)
 *   coordinator --publish lab.readers.control--> every reader         (core: pause / resume)
 */
export const QUEUE_STREAM = 'LAB_QUEUE';
export const EVENTS_STREAM = 'LAB_EVENTS';
export const READER_CONSUMER = 'readers';
export const ITEM_SUBJECT_ROOT = 'lab.queue.items';
export const CORE_ITEM_SUBJECT_ROOT = 'lab.core.items';
export const CORE_READER_GROUP = 'readers';
export const WRITER_REQUEST_SUBJECT = 'lab.writer.runs';
export const WRITER_QUEUE_GROUP = 'writers';
export const WRITER_HEARTBEAT_ROOT = 'lab.writer.heartbeat';
export const READER_CONTROL_SUBJECT = 'lab.readers.control';
export const EVENT_SUBJECT_ROOT = 'lab.events';

/**
 * The two ways an item travels, and what each promises. Code that differs by
 * transport looks its behaviour up here or in its own implementation (the
 * writer's item sinks, the reader's item sources), never by comparing names.
 */
export const TRANSPORTS = {
  /** Stored in LAB_QUEUE, acked, redelivered: nothing is lost. */
  jetstream: { itemSubjectRoot: ITEM_SUBJECT_ROOT, stored: true },
  /** A plain queue group: fire and forget, nothing kept. */
  core: { itemSubjectRoot: CORE_ITEM_SUBJECT_ROOT, stored: false },
} as const;

export type Transport = keyof typeof TRANSPORTS;

export function itemSubject(runId: string, transport: Transport = 'jetstream'): string {
  return `${TRANSPORTS[transport].itemSubjectRoot}.${runId}`;
}

/**
 * A reader's n-th report of reads for a run. The reader id is unique per
 * reader process start, so every report has a subject of its own (the events
 * stream keeps one message per subject) and a stable de-duplication id.
 */
export function readBatchSubject(runId: string, readerId: string, n: number): string {
  return `${EVENT_SUBJECT_ROOT}.${runId}.reads.${readerId}.${n}`;
}

/** Every read report of a run, from every reader. */
export function readBatchesFilter(runId: string): string {
  return `${EVENT_SUBJECT_ROOT}.${runId}.reads.>`;
}

export function writerEndSubject(runId: string, outcome: 'writer-finished' | 'writer-failed'): string {
  return `${EVENT_SUBJECT_ROOT}.${runId}.${outcome}`;
}

/** The kind of run event a subject of runEventsFilter carries: reads, writer-finished or writer-failed. */
export function runEventKindOf(subject: string): string | undefined {
  return subject.split('.')[3];
}

export function runEventsFilter(runId: string): string {
  return `${EVENT_SUBJECT_ROOT}.${runId}.>`;
}

export function writerHeartbeatSubject(runId: string): string {
  return `${WRITER_HEARTBEAT_ROOT}.${runId}`;
}

/** The run an item subject (either transport) belongs to: the token after the root (a core item's seq follows it); undefined for anything else. */
export function runIdOfItemSubject(subject: string): string | undefined {
  const prefix = Object.values(TRANSPORTS)
    .map((transport) => transport.itemSubjectRoot)
    .find((root) => subject.startsWith(`${root}.`));
  const rest = prefix ? subject.slice(prefix.length + 1) : '';
  return /^[0-9a-f-]{36}(\.|$)/i.test(rest) ? rest.slice(0, 36) : undefined;
}

/** The JetStream de-duplication id of an item: a retried publish of the same item is stored once. */
export function itemMessageId(runId: string, seq: number): string {
  return `${runId}:${seq}`;
}
