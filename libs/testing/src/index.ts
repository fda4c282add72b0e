export { captureLogs } from './lib/capture-logs.js';
export { nodeChildPids } from './lib/child-processes.js';
// The process and port helpers are the local-system harness's: one implementation, re-exported for the tests.
export {
  freePort,
  NATS_SERVER_MISSING,
  natsServerAvailable,
  startNatsCluster,
  startNatsServer,
  startServiceProcess,
  waitFor,
  type LogLine,
  type NatsClusterHandle,
  type NatsServerHandle,
  type NatsServerOptions,
  type ServiceProcess,
} from '@concurrency-lab/local-system';
export { MiB, residentMemoryBytes, sampleValue } from './lib/prometheus-text.js';
export { startOtlpReceiver, spansOfExport, type OtlpReceiver, type ReceivedSpan } from './lib/otlp-receiver.js';
export { watchPeak } from './lib/watch-peak.js';
export { findElements, parseXml, type XmlElement } from './lib/xml.js';
