export { LineLog, type LogLine } from './lib/line-log.js';
export { LocalSystem, missingBuilds, startLocalSystem, type LocalSystemOptions, type Readiness } from './lib/local-system.js';
export {
  startNatsCluster,
  startShippedNatsCluster,
  type NatsClusterHandle,
  type NatsClusterNode,
  type NatsClusterOptions,
} from './lib/nats-cluster.js';
export {
  NATS_SERVER_MISSING,
  natsServerAvailable,
  startNatsServer,
  startShippedNatsServer,
  type NatsServerHandle,
  type NatsServerOptions,
} from './lib/nats-server.js';
export { freePort, portInUse } from './lib/ports.js';
export { startServiceProcess, type ServiceProcess, type ServiceProcessOptions } from './lib/service-process.js';
export { waitFor } from './lib/wait-for.js';
