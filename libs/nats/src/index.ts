export { connectToNats, drainNats, type NatsConnectOptions } from './lib/connect.js';
export type { NatsConnection } from '@nats-io/transport-node';
