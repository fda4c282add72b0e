import type { ReadinessCheck } from '@concurrency-lab/lifecycle';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectionStateOf } from './connection-state.js';

const notReady = {
  reconnecting: 'disconnected from NATS; reconnecting',
  draining: 'the NATS connection is draining',
  closed: 'the NATS connection is closed',
} as const;

/**
 * Ready while the connection is open and connected to a server. It asks the
 * client, not the server, so it costs nothing and is never cached: a lost
 * connection shows on the next probe.
 */
export function natsConnectionCheck(connection: NatsConnection): ReadinessCheck {
  connectionStateOf(connection); // start following its status events now, not on the first probe
  return {
    name: 'nats',
    async run() {
      const state = connectionStateOf(connection);
      if (state !== 'connected') throw new Error(notReady[state]);
      return { server: connection.getServer() };
    },
  };
}
