/**
 * What the standard OTEL_* variables ask of tracing. Tracing is on only when
 * an exporter has somewhere to send spans: with nothing set it is off, and a
 * service pays no more than the no-op API.
 * See https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 */
export type TraceExporterKind = 'otlp' | 'console';

export type SamplerName =
  'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

export interface BatchSettings {
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
}

export type TracingSettings =
  | { enabled: false; why: string }
  | {
      enabled: true;
      exporter: TraceExporterKind;
      /** Where OTLP/HTTP spans go: the traces endpoint as given, or the base endpoint + /v1/traces, as the specification says. */
      tracesUrl?: string;
      sampler: SamplerName;
      samplerRatio: number;
      batch: BatchSettings;
    };

type Env = Readonly<Record<string, string | undefined>>;

const valueOf = (env: Env, name: string): string => (env[name] ?? '').trim();

/** Reads the OTEL_* variables; throws, naming the variable, on a value the specification does not allow. */
export function tracingSettingsFromEnv(env: Env): TracingSettings {
  if (valueOf(env, 'OTEL_SDK_DISABLED').toLowerCase() === 'true') return { enabled: false, why: 'OTEL_SDK_DISABLED=true' };
  const exporters = valueOf(env, 'OTEL_TRACES_EXPORTER').toLowerCase() || 'otlp';
  if (exporters === 'none') return { enabled: false, why: 'OTEL_TRACES_EXPORTER=none' };
  if (exporters !== 'otlp' && exporters !== 'console') {
    throw new Error(`OTEL_TRACES_EXPORTER must be otlp, console or none (got "${exporters}"); this service exports over OTLP/HTTP only`);
  }
  const tracesUrl = tracesUrlFromEnv(env);
  if (exporters === 'otlp' && !tracesUrl) return { enabled: false, why: 'no OTEL_EXPORTER_OTLP_ENDPOINT' };
  return { enabled: true, exporter: exporters, ...(tracesUrl && { tracesUrl }), ...samplerFromEnv(env), batch: batchFromEnv(env) };
}

function tracesUrlFromEnv(env: Env): string | undefined {
  const [name, url] = valueOf(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')
    ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', valueOf(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')]
    : ['OTEL_EXPORTER_OTLP_ENDPOINT', valueOf(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')];
  if (!url) return undefined;
  if (!/^https?:\/\/[^/]/i.test(url)) throw new Error(`${name} must be an http:// or https:// URL (got "${url}")`);
  return name === 'OTEL_EXPORTER_OTLP_ENDPOINT' ? `${url.replace(/\/+$/, '')}/v1/traces` : url;
}

function samplerFromEnv(env: Env): { sampler: SamplerName; samplerRatio: number } {
  const sampler = (valueOf(env, 'OTEL_TRACES_SAMPLER').toLowerCase() || 'parentbased_always_on') as SamplerName;
  if (!SAMPLERS.includes(sampler)) throw new Error(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')} (got "${sampler}")`);
  const rawRatio = valueOf(env, 'OTEL_TRACES_SAMPLER_ARG');
  const samplerRatio = rawRatio === '' ? 1 : Number(rawRatio);
  if (!Number.isFinite(samplerRatio) || samplerRatio < 0 || samplerRatio > 1) {
    throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 (got "${rawRatio}")`);
  }
  return { sampler, samplerRatio };
}

function batchFromEnv(env: Env): BatchSettings {
  const batch: BatchSettings = {};
  const read = (name: string, key: keyof BatchSettings) => {
    const raw = valueOf(env, name);
    if (raw === '') return;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0 (got "${raw}")`);
    batch[key] = value;
  };
  read('OTEL_BSP_SCHEDULE_DELAY', 'scheduledDelayMillis');
  read('OTEL_BSP_EXPORT_TIMEOUT', 'exportTimeoutMillis');
  read('OTEL_BSP_MAX_QUEUE_SIZE', 'maxQueueSize');
  read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 'maxExportBatchSize');
  return batch;
}
