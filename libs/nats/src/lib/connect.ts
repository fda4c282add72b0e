import type { Logger } from '@concurrency-lab/logger';
import { connect, errors, type NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackConnectionState } from './connection-state.js';

export interface NatsConnectOptions {
  /** One URL or a comma-separated list, as NATS_URL gives it. */
  servers: string;
  /** Shown by the server's monitoring endpoints, e.g. "writer-1234". */
  name: string;
  logger: Logger;
  /** The service's NATS user and password (NATS_USER, NATS_PASSWORD); neither for a server without authorization. */
  user?: string | undefined;
  pass?: string | undefined;
  /** Pause between attempts, first connection included. */
  reconnectTimeWaitMs?: number;
  /** Stops waiting for the first connection: connectToNats rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** What a service's config says about NATS (libs/config's common fields). */
export interface NatsServiceConfig {
  NATS_URL: string;
  NATS_USER?: string | undefined;
  NATS_PASSWORD?: string | undefined;
}

/** A service's connection options from its config: its servers, its user, and a name the server's monitoring shows. */
export function serviceConnectOptions(
  service: string,
  config: NatsServiceConfig,
): Pick<NatsConnectOptions, 'servers' | 'name' | 'user' | 'pass'> {
  return { servers: config.NATS_URL, name: `${service}-${process.pid}`, user: config.NATS_USER, pass: config.NATS_PASSWORD };
}

/** The server refused who we are: a wrong NATS_USER or NATS_PASSWORD, not a server that is down. */
function isAuthError(error: unknown): boolean {
  return error instanceof errors.AuthorizationError || error instanceof errors.UserAuthenticationExpiredError;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Connects and keeps connecting: the first attempt is retried until the server
 * is there (services may start before NATS in compose), and a lost connection
 * is retried forever, so a NATS restart is something a service rides through.
 * Refused credentials are retried too (the server's config may be fixed and
 * reloaded), but every refusal is logged as an error naming the user: a wrong
 * password must not pass for a server that is down.
 */
export async function connectToNats(options: NatsConnectOptions): Promise<NatsConnection> {
  const { logger, user } = options;
  const servers = options.servers.split(',').map((server) => server.trim());
  const wait = options.reconnectTimeWaitMs ?? 1_000;
  logger.info({ servers, user }, 'connecting to NATS');
  // Our own loop rather than nats.js's waitOnFirstConnect, which retries every failure in silence.
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      const connection = await connect({
        servers,
        name: options.name,
        ...(user === undefined ? {} : { user, pass: options.pass }),
        maxReconnectAttempts: -1,
        reconnectTimeWait: wait,
        // nats.js stops reconnecting after two refusals in a row; a service should rather keep trying, and say why it fails.
        ignoreAuthErrorAbort: true,
        // Otherwise every request (each JetStream publish is one) builds two Error objects up front to
        // carry its call site: a third of a busy writer's time, for stack traces we log no use of.
        noAsyncTraces: true,
      });
      logger.info({ server: connection.getServer(), user }, 'connected to NATS');
      trackConnectionState(connection);
      void logStatus(connection, logger, user);
      return connection;
    } catch (error) {
      if (isAuthError(error)) {
        logger.error(
          { user, attempt, reason: reasonOf(error) },
          'NATS refused the credentials (check NATS_USER and NATS_PASSWORD); retrying',
        );
      } else if (attempt === 1) {
        logger.warn({ servers, reason: reasonOf(error) }, 'NATS not reachable yet; retrying');
      } else {
        logger.debug({ attempt, reason: reasonOf(error) }, 'NATS still not reachable');
      }
    }
    await sleep(wait, undefined, options.signal ? { signal: options.signal } : undefined).catch((error: unknown) => {
      options.signal?.throwIfAborted(); // the signal's own reason rather than a generic AbortError
      throw error;
    });
  }
}

async function logStatus(connection: NatsConnection, logger: Logger, user: string | undefined): Promise<void> {
  for await (const status of connection.status()) {
    switch (status.type) {
      case 'disconnect':
        logger.warn({ server: status.server }, 'disconnected from NATS');
        break;
      case 'reconnect':
        logger.info({ server: status.server }, 'reconnected to NATS');
        break;
      case 'error':
        if (isAuthError(status.error)) {
          logger.error(
            { user, reason: reasonOf(status.error) },
            'NATS refused the credentials (check NATS_USER and NATS_PASSWORD); retrying',
          );
        } else if (status.error instanceof errors.PermissionViolationError) {
          // A subject this service's user may not use: a bug, or a deploy/nats/nats.conf out of date.
          logger.error({ user, operation: status.error.operation, subject: status.error.subject }, 'NATS permission denied');
        } else {
          logger.error({ err: status.error }, 'NATS connection error');
        }
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
