import { context, propagation, trace } from '@opentelemetry/api';
import { hostname } from 'node:os';
import { tracingSettingsFromEnv, type TracingSettings } from './settings.js';

/** A service's tracing, started or not; shutdown() sends what is still buffered and is safe to call either way. */
export interface Tracing {
  readonly enabled: boolean;
  /** Why tracing is off (e.g. "no OTEL_EXPORTER_OTLP_ENDPOINT"), for the service's start-up line. */
  readonly why?: string;
  /** Sends the spans ended so far now, rather than at the next batch. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface StartTracingOptions {
  /** service.name, unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES name another. */
  service: string;
  /** process.env when not given. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Told, in one line, whether tracing is on and where spans go, or why it is off. */
  logger?: { info(fields: object, message: string): void };
}

let on = false;

/**
 * Whether this process exports spans. Code that would do work only for a
 * span (a middleware, headers on a message) asks once, and with tracing off
 * costs nothing at all.
 */
export function tracingIsOn(): boolean {
  return on;
}

const off = (why: string): Tracing => ({ enabled: false, why, flush: async () => undefined, shutdown: async () => undefined });

/**
 * Starts the OpenTelemetry SDK from the standard OTEL_* variables, once per
 * process, before anything else makes spans. Off (nothing loaded, the API's
 * no-ops) unless an OTLP endpoint is set; on, it registers W3C trace-context
 * propagation, an AsyncLocalStorage context manager and a batching OTLP/HTTP
 * exporter. Throws, naming the variable, on a bad OTEL_* value.
 */
export async function startTracing(options: StartTracingOptions): Promise<Tracing> {
  const settings = tracingSettingsFromEnv(options.env ?? process.env);
  if (!settings.enabled) {
    options.logger?.info({ tracing: 'off', why: settings.why }, `tracing off (${settings.why})`);
    return off(settings.why);
  }
  // Loaded only when on: the SDK and exporter add tens of milliseconds to a start that does not need them.
  const [{ AsyncLocalStorageContextManager }, { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator }] = await Promise.all(
    [import('@opentelemetry/context-async-hooks'), import('@opentelemetry/core')],
  );
  const provider = await createProvider(options.service, settings);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(provider);
  on = true;
  const where = settings.exporter === 'console' ? 'the console' : settings.tracesUrl;
  options.logger?.info(
    { tracing: 'on', exporter: settings.exporter, url: settings.tracesUrl, sampler: settings.sampler },
    `tracing on: exporting spans to ${where}`,
  );
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      on = false;
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

async function createProvider(service: string, settings: Extract<TracingSettings, { enabled: true }>) {
  const [sdk, resources, { OTLPTraceExporter }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/exporter-trace-otlp-http'),
  ]);
  const exporter = settings.exporter === 'console' ? new sdk.ConsoleSpanExporter() : new OTLPTraceExporter({ url: settings.tracesUrl });
  const ours = resources.resourceFromAttributes({ 'service.name': service, 'host.name': hostname(), 'process.pid': process.pid });
  const fromEnv = resources.detectResources({ detectors: [resources.envDetector] });
  return new sdk.TracerProvider({
    resource: ours.merge(fromEnv),
    sampler: samplerOf(sdk, settings),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter, ...settings.batch })],
  });
}

type Sdk = typeof import('@opentelemetry/sdk-trace');

function samplerOf(sdk: Sdk, settings: Extract<TracingSettings, { enabled: true }>) {
  const root = {
    always_on: () => new sdk.AlwaysOnSampler(),
    always_off: () => new sdk.AlwaysOffSampler(),
    traceidratio: () => new sdk.TraceIdRatioBasedSampler(settings.samplerRatio),
  };
  const name = settings.sampler;
  if (!name.startsWith('parentbased_')) return root[name as keyof typeof root]();
  const rootName = name.slice('parentbased_'.length) as keyof typeof root;
  return new sdk.ParentBasedSampler({ root: root[rootName]() });
}
