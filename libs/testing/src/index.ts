export { captureLogs } from './lib/capture-logs.js';
export { nodeChildPids } from './lib/child-processes.js';
export { freePort } from './lib/free-port.js';
export { NATS_SERVER_MISSING, natsServerAvailable, startNatsServer, type NatsServerHandle, type NatsServerOptions } from './lib/nats-server.js';
export { LineLog, type LogLine } from './lib/line-log.js';
export { startServiceProcess, type ServiceProcess } from './lib/service-process.js';
export { waitFor } from './lib/wait-for.js';
export { findElements, parseXml, type XmlElement } from './lib/xml.js';
