import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';

/** The page's files and their routes: a fixed list, so no request path ever reaches the file system. */
const PAGE_FILES = [
  { route: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { route: '/page/page.js', file: 'page.js', type: 'text/javascript; charset=utf-8' },
  { route: '/page/page.css', file: 'page.css', type: 'text/css; charset=utf-8' },
  // Without an icon of its own, a browser asks for /favicon.ico, gets a 404 and logs an error on every visit.
  { route: '/page/icon.svg', file: 'icon.svg', type: 'image/svg+xml; charset=utf-8' },
] as const;

/**
 * Only this origin's own script, styles and API: no inline script or style,
 * no plugin, no framing. The charts are inline SVG drawn with attributes,
 * which this allows.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Where the page's files are. There is no front-end build: they are plain
 * files in src/page, found beside this module's folder when run from source
 * (src/page) or from the Docker image (the Dockerfile copies them to
 * dist/page), and in src/page from a build in a checkout (dist/routes/..).
 */
export function pageDirectory(): string {
  const candidates = [new URL('../page/', import.meta.url), new URL('../../src/page/', import.meta.url)];
  const found = candidates.find((url) => existsSync(new URL('index.html', url)));
  if (!found) throw new Error(`the web page's files are missing; looked in ${candidates.map((url) => fileURLToPath(url)).join(' and ')}`);
  return fileURLToPath(found);
}

/**
 * GET / and the page's script and stylesheet, read once when the app is
 * made: a missing file stops the coordinator at start-up, not a visitor later.
 */
export function pageRoutes(directory = pageDirectory()): Router {
  const router = Router();
  for (const { route, file, type } of PAGE_FILES) {
    const body = readFileSync(join(directory, file));
    router.get(route, (_request, response) => {
      response.setHeader('Content-Type', type);
      response.setHeader('X-Content-Type-Options', 'nosniff');
      // Small files, and a new version must show at once: revalidate every time (the ETag makes that cheap).
      response.setHeader('Cache-Control', 'no-cache');
      if (file === 'index.html') {
        response.setHeader('Content-Security-Policy', PAGE_CSP);
        response.setHeader('Referrer-Policy', 'no-referrer');
      }
      response.send(body);
    });
  }
  return router;
}
