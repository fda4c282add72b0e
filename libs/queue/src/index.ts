export { BurstLog, formatSeqRanges, logItems } from './lib/item-log.js';
export { coreItemSubject, decodeCoreItem, encodeCoreItem } from './lib/core-items.js';
export { correlationOf, hasTraceContext, runHeaders, traceHeaders, TRACED_ITEMS_PER_RUN } from './lib/headers.js';
export { consumerLag, type ConsumerLag, type ReaderObserver, type WriterObserver } from './lib/observer.js';
export { openQueue, type QueueHandle } from './lib/open-queue.js';
export {
  decodeQueueItem,
  decodeRunEvent,
  queueItemSchema,
  readBatchSchema,
  transportSchema,
  readerControlSchema,
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
export { ReadColumnsBuilder } from './lib/read-columns.js';
export { queueReadinessChecks } from './lib/readiness.js';
export { DEFAULT_ACK_WAIT_MS, PULL_EXPIRES_MS } from './lib/settings.js';
export { ensureReaderConsumer } from './lib/stream.js';
export {
  EVENTS_STREAM,
  itemMessageId,
  itemSubject,
  QUEUE_STREAM,
  READER_CONSUMER,
  READER_CONTROL_SUBJECT,
  readBatchesFilter,
  readBatchSubject,
  runEventKindOf,
  runEventsFilter,
  runIdOfItemSubject,
  TRANSPORTS,
  WRITER_QUEUE_GROUP,
  WRITER_REQUEST_SUBJECT,
  writerEndSubject,
  writerHeartbeatSubject,
  type Transport,
} from './lib/subjects.js';
