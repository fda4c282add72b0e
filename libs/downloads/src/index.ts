export { NatsTaskDispatcher, PROBE_TIMEOUT_MS, STALL_GRACE_MS, type DispatcherOptions } from './lib/dispatcher.js';
export { downloaderMetrics } from './lib/downloader-metrics.js';
export {
  cancelSubject,
  DOWNLOADER_CONSUMER,
  DOWNLOADS_STREAM,
  downloadEventSchema,
  downloadTaskSchema,
  PING_SUBJECT,
  pingReplySchema,
  runEventSubject,
  taskSubject,
  type DownloadEvent,
  type DownloadTaskMessage,
  type PingReply,
} from './lib/protocol.js';
export { TASK_ACK_WAIT_MS, TASK_MAX_DELIVER } from './lib/settings.js';
export { downloadsReadinessChecks, openDownloads } from './lib/setup.js';
export { startDownloader, type Downloader, type DownloaderObserver, type DownloaderOptions, type TaskOutcome } from './lib/worker.js';
