export { nodeChildPids } from './lib/child-processes.js';
export { freePort } from './lib/free-port.js';
export { NATS_SERVER_MISSING, natsServerAvailable, startNatsServer, type NatsServerHandle } from './lib/nats-server.js';
export { startServiceProcess, type LogLine, type ServiceProcess } from './lib/service-process.js';
export { waitFor } from './lib/wait-for.js';
