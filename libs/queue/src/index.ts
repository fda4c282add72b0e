export {
  decodeMessage,
  encodeMessage,
  queueItemSchema,
  readEventSchema,
  runIdSchema,
  writeReplySchema,
  writeRequestSchema,
  type QueueItem,
  type ReadEvent,
  type WriteReply,
  type WriteRequest,
  type WrittenEvent,
} from './lib/messages.js';
export { openQueue } from './lib/open-queue.js';
export { startReader, type ReaderOptions, type ReaderService } from './lib/reader.js';
export { LESSON_ITEMS, QUEUE_RUN_LIMITS, queueRunRequestSchema, type QueueRunRequest } from './lib/run-request.js';
export {
  QueueRunError,
  runQueue,
  type QueueRunFailure,
  type QueueRunReport,
  type QueueTimelineEntry,
  type RunQueueOptions,
} from './lib/run-queue.js';
export { ACK_WAIT_MS, DUPLICATE_WINDOW_MS, MAX_DELIVER, queueStreamConfig, readerConsumerConfig } from './lib/settings.js';
export { ensureQueueStream, ensureReaderConsumer } from './lib/stream.js';
export {
  EVENT_SUBJECT_ROOT,
  ITEM_SUBJECT_ROOT,
  itemMessageId,
  itemSubject,
  QUEUE_STREAM,
  READER_CONSUMER,
  runEventSubject,
  runEventsWildcard,
  WRITER_REQUEST_SUBJECT,
} from './lib/subjects.js';
export { startWriter, type WriterOptions, type WriterService } from './lib/writer.js';
