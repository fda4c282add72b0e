export { BurstLog, formatSeqRanges, logItems, type LoggedItem } from './lib/item-log.js';
export { epochNow } from './lib/clock.js';
export { correlationOf, RUN_ID_HEADER, runHeaders } from './lib/headers.js';
export { consumerLag, type ConsumerLag, type ReaderObserver, type WriterObserver } from './lib/observer.js';
export { openQueue, type QueueHandle } from './lib/open-queue.js';
export {
  decodeMessage,
  decodeRunEvent,
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
  type RunEvent,
  type WriterFailedEvent,
  type WriterFinishedEvent,
  type WriterHeartbeat,
  writerHeartbeatSchema,
  type WriteReply,
  type WriteRequest,
} from './lib/messages.js';
export { queueReadinessChecks, queueStreamsCheck, READINESS_CACHE_MS, readerConsumerCheck } from './lib/readiness.js';
export {
  DEFAULT_ACK_WAIT_MS,
  DUPLICATE_WINDOW_MS,
  eventsStreamConfig,
  MAX_DELIVER,
  PULL_EXPIRES_MS,
  queueStreamConfig,
  readerConsumerConfig,
  redeliveryBackoffMs,
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
  runEventKindOf,
  runEventsFilter,
  TRANSPORTS,
  WRITER_QUEUE_GROUP,
  writerEndSubject,
  writerHeartbeatSubject,
  runIdOfItemSubject,
  WRITER_REQUEST_SUBJECT,
  type Transport,
} from './lib/subjects.js';
