export { connectToNats, drainNats, serviceConnectOptions, type NatsConnectOptions, type NatsServiceConfig } from './lib/connect.js';
export { connectionStateOf, type NatsConnectionState } from './lib/connection-state.js';
export { natsConnectionCheck } from './lib/readiness.js';
export type { NatsConnection } from '@nats-io/transport-node';
