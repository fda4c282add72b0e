import { REQUEST_ID_HEADER } from '@concurrency-lab/logger';
import { headers, type MsgHdrs } from '@nats-io/transport-node';

/**
 * The run a message belongs to, on every message about a run but the items
 * (their subject and message id carry it, and a header would cost every item).
 * The HTTP request that started the run travels beside it to the writer, under
 * the same header name as over HTTP, so the writer's lines can name it too.
 */
export const RUN_ID_HEADER = 'Lab-Run-Id';

/** Fresh headers for one message: nats.js adds the message id to the object it is given, so none is shared. */
export function runHeaders(runId: string, requestId?: string): MsgHdrs {
  const h = headers();
  h.set(RUN_ID_HEADER, runId);
  if (requestId) h.set(REQUEST_ID_HEADER, requestId);
  return h;
}

/** The run id and request id a message carries, if any (a message from elsewhere may carry none). */
export function correlationOf(message: { headers?: MsgHdrs }): { runId?: string; requestId?: string } {
  const runId = message.headers?.get(RUN_ID_HEADER) || undefined;
  const requestId = message.headers?.get(REQUEST_ID_HEADER) || undefined;
  return { ...(runId && { runId }), ...(requestId && { requestId }) };
}
