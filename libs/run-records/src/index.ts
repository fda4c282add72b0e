export { openRunRecords, RUN_RECORD_LIMITS, RUN_RECORDS_BUCKET, RUN_RECORDS_STREAM, type RunRecordLimits } from './lib/bucket.js';
export {
  runOwnerSchema,
  runRecordArchive,
  RunRecordsUnavailableError,
  thisProcessAsOwner,
  type RunRecordArchiveOptions,
  type RunRecordsHandle,
} from './lib/run-record-archive.js';
export { RunRecordStore, RunRecordTooLargeError } from './lib/run-record-store.js';
