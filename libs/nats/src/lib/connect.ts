import type { Logger } from '@concurrency-lab/logger';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { trackConnectionState } from './connection-state.js';

export interface NatsConnectOptions {
  /** One URL or a comma-separated list, as NATS_URL gives it. */
  servers: string;
  /** Shown by the server's monitoring endpoints, e.g. "writer-1234". */
  name: string;
  logger: Logger;
  /** Pause between attempts, first connection included. */
  reconnectTimeWaitMs?: number;
}

/**
 * Connects and keeps connecting: the first attempt is retried until the server
 * is there (services may start before NATS in compose), and a lost connection
 * is retried forever, so a NATS restart is something a service rides through.
 */
export async function connectToNats(options: NatsConnectOptions): Promise<NatsConnection> {
  const { logger } = options;
  const servers = options.servers.split(',').map((server) => server.trim());
  logger.info({ servers }, 'connecting to NATS');
  const connection = await connect({
    servers,
    name: options.name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? 1_000,
  });
  logger.info({ server: connection.getServer() }, 'connected to NATS');
  trackConnectionState(connection);
  void logStatus(connection, logger);
  return connection;
}

async function logStatus(connection: NatsConnection, logger: Logger): Promise<void> {
  for await (const status of connection.status()) {
    switch (status.type) {
      case 'disconnect':
        logger.warn({ server: status.server }, 'disconnected from NATS');
        break;
      case 'reconnect':
        logger.info({ server: status.server }, 'reconnected to NATS');
        break;
      case 'error':
        logger.error({ err: status.error }, 'NATS connection error');
        break;
      case 'slowConsumer':
        logger.warn({ subject: status.sub.getSubject(), pending: status.pending }, 'slow NATS consumer');
        break;
      default:
        logger.debug({ status: status.type }, 'NATS status');
    }
  }
}

/**
 * Drains the connection: subscriptions stop taking messages, the ones already
 * delivered are handled, pending publishes are flushed, then it closes.
 */
export async function drainNats(connection: NatsConnection, logger: Logger): Promise<void> {
  if (connection.isClosed()) return;
  try {
    await connection.drain();
    logger.info('NATS connection drained');
  } catch (error) {
    logger.warn({ err: error }, 'NATS drain did not complete; closing');
    await connection.close();
  }
}
