import type { NatsConnection, Status } from '@nats-io/transport-node';

/** Where a connection stands: only `connected` carries messages now. */
export type NatsConnectionState = 'connected' | 'reconnecting' | 'draining' | 'closed';

/**
 * The client says closed and draining outright, but not whether it is
 * between servers: that it tells only as status events. Each connection's
 * events are followed from when it is first tracked.
 */
const disconnected = new WeakMap<NatsConnection, { lost: boolean }>();

/**
 * Starts following a connection's status events. connectToNats calls it as
 * soon as the connection is up, so no event is missed; a connection tracked
 * later is taken to be connected at that moment.
 */
export function trackConnectionState(connection: NatsConnection): void {
  if (disconnected.has(connection) || connection.isClosed()) return;
  const tracked = { lost: false };
  disconnected.set(connection, tracked);
  void (async () => {
    for await (const status of connection.status() as AsyncIterable<Status>) {
      // 'reconnecting' repeats for every attempt; 'reconnect' is the one that worked.
      if (status.type === 'disconnect' || status.type === 'reconnecting') tracked.lost = true;
      else if (status.type === 'reconnect') tracked.lost = false;
    }
  })();
}

export function connectionStateOf(connection: NatsConnection): NatsConnectionState {
  if (connection.isClosed()) return 'closed';
  if (connection.isDraining()) return 'draining';
  trackConnectionState(connection);
  return disconnected.get(connection)?.lost ? 'reconnecting' : 'connected';
}
