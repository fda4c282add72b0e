import type { Logger } from '@concurrency-lab/logger';
import type { Express } from 'express';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
}

/** Listens and resolves once the port is bound (0 picks a free one). */
export async function startHttpServer(app: Express, options: HttpServerOptions): Promise<Server> {
  const server = app.listen(options.port, options.host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error as Error)),
  ]);
  const { address, port } = server.address() as AddressInfo;
  options.logger.info({ address, port }, 'listening');
  return server;
}

/**
 * Stops accepting connections and waits for requests in flight to finish;
 * idle keep-alive sockets are closed so they cannot hold the process open.
 */
export async function closeHttpServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  server.closeIdleConnections();
  await closed;
}
