export { BurstLog, formatSeqRanges, logItems, type LoggedItem } from './lib/item-log.js';
export { correlationOf, RUN_ID_HEADER, runHeaders } from './lib/headers.js';
export { consumerLag, type ConsumerLag, type ReaderObserver, type WriterObserver } from './lib/observer.js';
export { openQueue, type QueueHandle } from './lib/open-queue.js';
export {
  decodeMessage,
  encodeMessage,
  queueItemSchema,
  readBatchSchema,
  readerControlSchema,
  readRecordSchema,
  runIdSchema,
  writeReplySchema,
  writeRequestSchema,
  type QueueItem,
  type ReadBatch,
  type ReadEvent,
  type ReaderControl,
  type ReadRecord,
  type WriteReply,
  type WriteRequest,
} from './lib/messages.js';
export { queueReadinessChecks, queueStreamsCheck, READINESS_CACHE_MS, readerConsumerCheck } from './lib/readiness.js';
export { startReader, type ReaderOptions, type ReaderService } from './lib/reader.js';
export { queueRunReportSchema, queueTimelineEntrySchema } from './lib/run-report-schema.js';
export { LESSON_ITEMS, QUEUE_RUN_LIMITS, queueRunRequestSchema, type QueueRunRequest } from './lib/run-request.js';
export {
  QueueRunError,
  runQueue,
  type QueueRunFailure,
  type QueueRunReport,
  type QueueTimelineEntry,
  type RunQueueOptions,
} from './lib/run-queue.js';
export {
  DEFAULT_ACK_WAIT_MS,
  DUPLICATE_WINDOW_MS,
  eventsStreamConfig,
  MAX_DELIVER,
  queueStreamConfig,
  readerConsumerConfig,
  REDELIVERY_BACKOFF_MS,
} from './lib/settings.js';
export { ensureQueueStreams, ensureReaderConsumer } from './lib/stream.js';
export {
  EVENTS_STREAM,
  ITEM_SUBJECT_ROOT,
  itemMessageId,
  itemSubject,
  QUEUE_STREAM,
  READER_CONSUMER,
  READER_CONTROL_SUBJECT,
  readBatchesFilter,
  readBatchSubject,
  runEventsFilter,
  runIdOfItemSubject,
  WRITER_REQUEST_SUBJECT,
  type Transport,
} from './lib/subjects.js';
export { startWriter, type WriterOptions, type WriterService } from './lib/writer.js';
