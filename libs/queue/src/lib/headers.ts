import { REQUEST_ID_HEADER } from '@concurrency-lab/logger';
import { injectTraceContext } from '@concurrency-lab/tracing';
import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { Context } from '@opentelemetry/api';

/**
 * The run a message belongs to, on every message about a run but the items
 * (their subject and message id carry it, and a header would cost every item).
 * The HTTP request that started the run travels beside it to the writer, under
 * the same header name as over HTTP, so the writer's lines can name it too.
 */
export const RUN_ID_HEADER = 'Lab-Run-Id';

/**
 * Fresh headers for one message: nats.js adds the message id to the object it
 * is given, so none is shared. With `trace`, that context goes along too
 * (W3C traceparent; nothing while tracing is off).
 */
export function runHeaders(runId: string, requestId?: string, trace?: Context): MsgHdrs {
  const h = headers();
  h.set(RUN_ID_HEADER, runId);
  if (requestId) h.set(REQUEST_ID_HEADER, requestId);
  if (trace) injectTraceContext(h, trace);
  return h;
}

/** Headers carrying only a trace context, for a message (a queue item) that carries no other header. */
export function traceHeaders(trace: Context): MsgHdrs {
  const h = headers();
  injectTraceContext(h, trace);
  return h;
}

/** Whether a message carries a trace context: checked before extracting, so untraced items cost one look-up. */
export function hasTraceContext(message: { headers?: MsgHdrs }): boolean {
  return message.headers?.has('traceparent') ?? false;
}

/** The run id and request id a message carries, if any (a message from elsewhere may carry none). */
export function correlationOf(message: { headers?: MsgHdrs }): { runId?: string; requestId?: string } {
  const runId = message.headers?.get(RUN_ID_HEADER) || undefined;
  const requestId = message.headers?.get(REQUEST_ID_HEADER) || undefined;
  return { ...(runId && { runId }), ...(requestId && { requestId }) };
}

/**
 * Items of one run that get their own spans (publish, process) and a trace
 * context in their headers: the first ones by sequence number. The rest of a
 * big run go untraced (counted on the writer's run span), so a run of 10,000
 * items makes a few hundred spans, not tens of thousands.
 */
export const TRACED_ITEMS_PER_RUN = 100;
