import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as an OTLP/HTTP JSON export carried it, flattened with its service's name. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Undefined for a trace's root span. */
  parentSpanId?: string;
  name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  links: { traceId: string; spanId: string }[];
}

export interface OtlpReceiver {
  /** The base URL to put in OTEL_EXPORTER_OTLP_ENDPOINT (spans are posted to `${url}/v1/traces`). */
  url: string;
  spans: ReceivedSpan[];
  /** Resolves with the spans once `done(spans)` holds, checked on every export; rejects after timeoutMs, listing what came. */
  waitForSpans(description: string, done: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpKeyValue[];
  events?: { name: string; attributes?: OtlpKeyValue[] }[];
  links?: { traceId: string; spanId: string }[];
}
interface OtlpExport {
  resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

const valueOf = (value: OtlpValue): unknown =>
  value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.doubleValue ?? value.boolValue));

const attributesOf = (pairs: OtlpKeyValue[] = []): Record<string, unknown> =>
  Object.fromEntries(pairs.map((pair) => [pair.key, valueOf(pair.value)]));

const nanosToMs = (nanos: string): number => Number(BigInt(nanos) / 1000n) / 1000;

/** The spans of one export (JSON, as @opentelemetry/exporter-trace-otlp-http sends it). */
export function spansOfExport(body: OtlpExport): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '');
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        service,
        traceId: span.traceId,
        spanId: span.spanId,
        ...(span.parentSpanId && { parentSpanId: span.parentSpanId }),
        name: span.name,
        kind: span.kind,
        startMs: nanosToMs(span.startTimeUnixNano),
        endMs: nanosToMs(span.endTimeUnixNano),
        attributes: attributesOf(span.attributes),
        events: (span.events ?? []).map((event) => ({ name: event.name, attributes: attributesOf(event.attributes) })),
        links: (span.links ?? []).map((link) => ({ traceId: link.traceId, spanId: link.spanId })),
      })),
    );
  });
}

/**
 * A small OTLP/HTTP trace receiver on 127.0.0.1 for tests: it accepts JSON
 * exports on /v1/traces and keeps every span, so a test can check a trace's
 * shape across real services without a collector.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const listeners = new Set<() => void>();
  const server = createServer((request, response) => void receive(request, response, spans, listeners));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    waitForSpans: (description, done, timeoutMs = 15_000) => waitForSpans(spans, listeners, description, done, timeoutMs),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

async function receive(request: IncomingMessage, response: ServerResponse, spans: ReceivedSpan[], listeners: Set<() => void>) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (request.method !== 'POST' || request.url !== '/v1/traces' || !String(request.headers['content-type']).includes('json')) {
    response.writeHead(415).end();
    return;
  }
  spans.push(...spansOfExport(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport));
  response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  for (const listener of listeners) listener();
}

function waitForSpans(
  spans: ReceivedSpan[],
  listeners: Set<() => void>,
  description: string,
  done: (spans: ReceivedSpan[]) => boolean,
  timeoutMs: number,
): Promise<ReceivedSpan[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done(spans)) return;
      finish();
      resolve(spans);
    };
    const timer = setTimeout(() => {
      finish();
      const names = spans.map((span) => `${span.service}:${span.name}`).join(', ');
      reject(new Error(`no ${description} within ${timeoutMs} ms; received ${spans.length} spans: ${names}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      listeners.delete(check);
    };
    listeners.add(check);
    check();
  });
}
