import { context, propagation, ROOT_CONTEXT, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

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

/** The W3C fields of a trace context (`traceparent`, maybe `tracestate`) as a plain object, for an IPC message or a thread's data. */
export type TraceCarrier = Record<string, string>;

/** The trace context (of `from`, the active one by default) as a plain object; undefined when tracing is off, so nothing is passed. */
export function traceCarrier(from: Context = context.active()): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(from, carrier);
  return carrier['traceparent'] ? carrier : undefined;
}

const w3c = new W3CTraceContextPropagator();

/**
 * The context a parent process or thread passed in a TraceCarrier, read with
 * W3C's propagator itself: a task process runs no SDK, yet its log lines name
 * the span it works for.
 */
export function contextFromCarrier(carrier: TraceCarrier): Context {
  return w3c.extract(ROOT_CONTEXT, carrier, { get: (from, key) => from[key], keys: (from) => Object.keys(from) });
}
