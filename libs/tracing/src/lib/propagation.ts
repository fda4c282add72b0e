import { context, propagation, ROOT_CONTEXT, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';

/**
 * Message headers as a trace-context carrier: nats.js MsgHdrs has this shape
 * (get answers "" for a missing key), and so does a Map of strings. The
 * OpenTelemetry propagation API reads and writes them, so the format on the
 * wire is the registered propagator's (W3C `traceparent`, `tracestate`).
 */
export interface HeaderCarrier {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  keys(): Iterable<string> | string[];
}

const headerSetter: TextMapSetter<HeaderCarrier> = { set: (carrier, key, value) => carrier.set(key, value) };
const headerGetter: TextMapGetter<HeaderCarrier | undefined> = {
  get: (carrier, key) => carrier?.get(key) || undefined,
  keys: (carrier) => (carrier ? [...carrier.keys()] : []),
};

/** Writes the trace context (of `from`, the active one by default) into message headers; nothing when tracing is off. */
export function injectTraceContext(headers: HeaderCarrier, from: Context = context.active()): void {
  propagation.inject(from, headers, headerSetter);
}

/** The context a message's headers carry, on top of `base` (the active one by default); `base` itself when they carry none. */
export function extractTraceContext(headers: HeaderCarrier | undefined, base: Context = context.active()): Context {
  return headers ? propagation.extract(base, headers, headerGetter) : base;
}

/**
 * The trace context for a child process's environment, by the OpenTelemetry
 * convention for environment carriers (TRACEPARENT, TRACESTATE): empty when
 * tracing is off, so nothing is passed.
 */
export function traceEnvironment(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  const env: Record<string, string> = {};
  if (carrier['traceparent']) env['TRACEPARENT'] = carrier['traceparent'];
  if (carrier['tracestate']) env['TRACESTATE'] = carrier['tracestate'];
  return env;
}

/** The trace context a parent process passed in TRACEPARENT/TRACESTATE (ROOT_CONTEXT when none), read with W3C's propagator even where no SDK runs. */
export async function contextFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): Promise<Context> {
  if (!env['TRACEPARENT']) return ROOT_CONTEXT;
  const { W3CTraceContextPropagator } = await import('@opentelemetry/core');
  const carrier = { traceparent: env['TRACEPARENT'], ...(env['TRACESTATE'] && { tracestate: env['TRACESTATE'] }) };
  return new W3CTraceContextPropagator().extract(ROOT_CONTEXT, carrier, {
    get: (from, key) => from[key as keyof typeof from],
    keys: (from) => Object.keys(from),
  });
}
