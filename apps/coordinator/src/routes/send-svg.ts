import type { Response } from 'express';

/**
 * Sends a chart as an SVG image. Opened on its own, an SVG is a document that
 * could run script; ours have none and escape every caller's text, and the
 * policy below makes sure of it: nothing may load or run, not even inline.
 */
export function sendSvg(response: Response, svg: string): void {
  response.setHeader('Content-Type', 'image/svg+xml; charset=utf-8');
  response.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'self'");
  response.setHeader('X-Content-Type-Options', 'nosniff');
  // A running simulation's chart changes with every task: always ask again (the ETag makes that cheap once it has finished).
  response.setHeader('Cache-Control', 'no-cache');
  response.send(svg);
}
