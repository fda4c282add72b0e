import { connect, createServer } from 'node:net';

/** Where every local process listens: loopback only. */
export const LOOPBACK = '127.0.0.1';

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port the probe server got'));
      });
    });
  });
}

/**
 * Whether something accepts connections on 127.0.0.1:port: a server that
 * is up (nats-server opening its port), or one in the way of a fixed port.
 */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A fixed port that another process already holds. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    hint: string,
  ) {
    super(`port ${port} on ${LOOPBACK} is already in use${hint ? ` (${hint})` : ''}`);
    this.name = 'PortInUseError';
  }
}

/** Throws a PortInUseError for the first of the ports that is taken. */
export async function assertPortsFree(ports: readonly number[], hint = ''): Promise<void> {
  for (const port of ports) {
    if (await portInUse(port)) throw new PortInUseError(port, hint);
  }
}
