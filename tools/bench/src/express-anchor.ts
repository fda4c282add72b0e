import { startServiceProcess } from '@concurrency-lab/local-system';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './cleanup.js';

const script = fileURLToPath(new URL('./express-anchor-server.js', import.meta.url));

export interface ExpressAnchorOptions {
  /**
   * The coordinator's answer to the body the bench sends: POST /simulations
   * then does the same work (a timer per task) and answers this report with
   * its own run id and timings, the same shape and size. Bare without it.
   */
  report?: unknown;
}

/** Starts the Express anchor as its own process (like the coordinator) and returns its base URL. */
export async function startExpressAnchor(
  cleanup: Cleanup,
  options: ExpressAnchorOptions = {},
): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const env: Record<string, string> = options.report === undefined ? {} : { ANCHOR_REPORT: JSON.stringify(options.report) };
  const child = startServiceProcess(options.report === undefined ? 'bare-express' : 'same-work-express', script, env);
  const forget = cleanup.add('Express anchor', () => child.stop('SIGTERM'));
  const line = await child.waitForLine((l) => l.msg === 'listening', 10_000);
  return {
    baseUrl: `http://127.0.0.1:${Number(line['port'])}`,
    async stop() {
      forget();
      await child.stop('SIGTERM');
    },
  };
}
