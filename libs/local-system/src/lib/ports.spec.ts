import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPortsFree, freePort, portInUse, PortInUseError } from './ports.js';

describe('the one port check', () => {
  let server: Server;
  let taken: number;
  beforeAll(async () => {
    server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    taken = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('tells a port something listens on from a free one', async () => {
    const free = await freePort();
    expect(free).not.toBe(taken);
    expect(await portInUse(taken)).toBe(true);
    expect(await portInUse(free)).toBe(false);
  });

  it('names the first taken port, with the hint', async () => {
    const free = await freePort();
    await expect(assertPortsFree([free])).resolves.toBeUndefined();
    const refusal = assertPortsFree([free, taken], 'an earlier npm start?');
    await expect(refusal).rejects.toBeInstanceOf(PortInUseError);
    await expect(refusal).rejects.toThrow(`port ${taken} on 127.0.0.1 is already in use (an earlier npm start?)`);
  });
});
