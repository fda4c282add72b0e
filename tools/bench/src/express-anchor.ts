import { startServiceProcess } from '@concurrency-lab/local-system';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './cleanup.js';

const script = fileURLToPath(new URL('./express-anchor-server.js', import.meta.url));

/** Starts the bare Express anchor as its own process (like the coordinator) and returns its base URL. */
export async function startExpressAnchor(cleanup: Cleanup): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const child = startServiceProcess('bare-express', script, {});
  const forget = cleanup.add('bare Express anchor', () => child.stop('SIGTERM'));
  const line = await child.waitForLine((l) => l.msg === 'listening', 10_000);
  return {
    baseUrl: `http://127.0.0.1:${Number(line['port'])}`,
    async stop() {
      forget();
      await child.stop('SIGTERM');
    },
  };
}
