import type { Request, Response } from 'express';

export interface EventStream {
  send(event: string, data: unknown): void;
  close(): void;
  /** Resolves when the client has gone or close() was called. */
  readonly closed: Promise<void>;
}

/**
 * Turns a response into a server-sent event stream (text/event-stream). A
 * comment every `keepAliveMs` keeps proxies from closing a quiet stream.
 */
export function openEventStream(request: Request, response: Response, keepAliveMs = 15_000): EventStream {
  response.status(200);
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache, no-transform');
  response.setHeader('Connection', 'keep-alive');
  response.flushHeaders();
  let open = true;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
  keepAlive.unref();
  const finish = () => {
    if (!open) return;
    open = false;
    clearInterval(keepAlive);
    markClosed();
  };
  request.on('close', finish);
  return {
    send(event, data) {
      if (open) response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      if (open) response.end();
      finish();
    },
    closed,
  };
}
