import { WORKLOADS } from '@concurrency-lab/simulation';
import { z } from 'zod';

/*
 * The downloads' wire protocol: the coordinator (dispatcher) publishes tasks
 * into the work-queue stream LAB_DOWNLOADS, downloaders pull them from the
 * durable consumer they share and tell the coordinator over core NATS when
 * each starts and finishes. Every subject is here; deploy/nats/nats.conf
 * grants exactly these.
 */

/** The stream the tasks wait in: work-queue retention, an acked task is gone. */
export const DOWNLOADS_STREAM = 'LAB_DOWNLOADS';
/** The durable pull consumer every downloader shares. */
export const DOWNLOADER_CONSUMER = 'downloaders';
export const TASK_SUBJECT_ROOT = 'lab.downloads.tasks';
const EVENT_SUBJECT_ROOT = 'lab.downloads.events';
const CANCEL_SUBJECT_ROOT = 'lab.downloads.cancel';
/** Who is there: every downloader answers with its host, pid and slots. */
export const PING_SUBJECT = 'lab.downloads.ping';

/** One task of one run: `lab.downloads.tasks.<runId>.<index>`. */
export const taskSubject = (runId: string, index: number) => `${TASK_SUBJECT_ROOT}.${runId}.${index}`;
/** The task's message id: a task published twice is stored once. */
export const taskMessageId = (runId: string, index: number) => `${runId}:${index}`;
/** Where downloaders report a run's task starts and finishes: `lab.downloads.events.<runId>`. */
export const runEventSubject = (runId: string) => `${EVENT_SUBJECT_ROOT}.${runId}`;
/** A run's cancel: downloaders stop its tasks and drop those still queued. */
export const cancelSubject = (runId: string) => `${CANCEL_SUBJECT_ROOT}.${runId}`;
export const CANCEL_SUBSCRIPTION = `${CANCEL_SUBJECT_ROOT}.*`;
export const runIdOfCancelSubject = (subject: string) => subject.slice(CANCEL_SUBJECT_ROOT.length + 1);

const epochMs = z.number().finite().positive();

/** What the coordinator publishes per task. The downloader does the work with its own cpu calibration. */
export const downloadTaskSchema = z.strictObject({
  runId: z.uuid(),
  index: z.number().int().min(0),
  name: z.string().min(1).max(200),
  durationMs: z.number().int().min(0).max(3_600_000),
  workload: z.enum(WORKLOADS),
  /** Epoch ms after which no downloader starts it: a stale task is dropped, never run late. */
  deadline: epochMs,
});
export type DownloadTaskMessage = z.infer<typeof downloadTaskSchema>;

const whoFields = {
  runId: z.uuid(),
  index: z.number().int().min(0),
  host: z.string().min(1),
  pid: z.number().int().positive(),
  /** 1 on the first delivery; more: a downloader died holding the task (or handed it back) and this one runs it again. */
  attempt: z.number().int().min(1),
};

/** What a downloader tells the run's coordinator about a task (`lab.downloads.events.<runId>`). */
export const downloadEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('started'), ...whoFields, startedAt: epochMs }),
  z.strictObject({ type: z.literal('finished'), ...whoFields, startedAt: epochMs, finishedAt: epochMs }),
  /** The downloader gave the task up for good (its deadline passed): the run cannot complete. */
  z.strictObject({ type: z.literal('failed'), ...whoFields, reason: z.string() }),
]);
export type DownloadEvent = z.infer<typeof downloadEventSchema>;

/** A downloader's answer to a ping. */
export const pingReplySchema = z.strictObject({
  host: z.string().min(1),
  pid: z.number().int().positive(),
  concurrency: z.number().int().positive(),
  running: z.number().int().min(0),
});
export type PingReply = z.infer<typeof pingReplySchema>;
