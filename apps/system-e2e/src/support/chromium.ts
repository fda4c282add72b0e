import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const CHROMIUM_MISSING =
  'Chromium was not found, and the browser test needs it (it uses playwright-core, which brings no browser of its own). ' +
  'Install it with `sudo apt-get install -y chromium` (Debian; `chromium-browser` on Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary. ' +
  'CI (.ci/run) installs it.';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/**
 * The browser to drive: CHROMIUM_PATH when set, otherwise the first Chromium
 * on the PATH. Missing, it throws with how to install one: the browser test
 * fails rather than skips, so a machine without a browser cannot pass it.
 */
export function chromiumPath(environment: NodeJS.ProcessEnv = process.env): string {
  const configured = environment['CHROMIUM_PATH'];
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH is ${configured}, which does not exist. ${CHROMIUM_MISSING}`);
    return configured;
  }
  const directories = (environment['PATH'] ?? '').split(delimiter).filter(Boolean);
  for (const name of NAMES) {
    const found = directories.map((directory) => join(directory, name)).find((path) => existsSync(path));
    if (found) return found;
  }
  throw new Error(CHROMIUM_MISSING);
}
