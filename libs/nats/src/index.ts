export { connectToNats, drainNats, serviceConnectOptions } from './lib/connect.js';
export { natsConnectionCheck } from './lib/readiness.js';
export type { NatsConnection } from '@nats-io/transport-node';
export { natsUnavailableReason } from './lib/unavailable.js';
export {
  consumerCheck,
  ensureConsumer,
  ensureStream,
  openJetStreamManager,
  READINESS_CACHE_MS,
  streamsCheck,
} from './lib/jetstream-setup.js';
export { decodeMessage, encodeMessage } from './lib/json-messages.js';
