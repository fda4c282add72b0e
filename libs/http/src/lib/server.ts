import type { Logger } from '@concurrency-lab/logger';
import type { Express } from 'express';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceApp, finishApp, type ServiceAppOptions } from './create-app.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
}

/**
 * Once the server is closing, a keep-alive connection is closed as soon as its
 * response is out. Without this, a connection busy when the close began (a
 * request waiting for a run) or one a client keeps busy (a probe, a poller)
 * stays open for the keep-alive timeout after its last response, or for ever,
 * and the close waits for it: past the shutdown's grace period.
 */
function closeConnectionsOnceClosing(server: Server): void {
  server.prependListener('request', (_request, response) => {
    if (!server.listening) response.setHeader('Connection', 'close');
    response.once('finish', () => {
      // On the next turn: Node marks the connection idle in its own 'finish' handling.
      if (!server.listening) setImmediate(() => server.closeIdleConnections());
    });
  });
}

/** Listens and resolves once the port is bound (0 picks a free one). */
export async function startHttpServer(app: Express, options: HttpServerOptions): Promise<Server> {
  const server = app.listen(options.port, options.host);
  closeConnectionsOnceClosing(server);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
  const { address, port } = server.address() as AddressInfo;
  options.logger.info({ address, port }, 'listening');
  return server;
}

/**
 * Stops accepting connections and waits for requests in flight to finish;
 * idle keep-alive connections are closed at once, busy ones once their
 * response is out, so none can hold the process open.
 */
export async function closeHttpServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  server.closeIdleConnections();
  await closed;
}

/** The HTTP side of a service with no routes of its own (the writer, the reader): /healthz, /readyz and /metrics, listening. */
export function startServiceServer(options: ServiceAppOptions & HttpServerOptions): Promise<Server> {
  return startHttpServer(finishApp(createServiceApp(options)), options);
}
