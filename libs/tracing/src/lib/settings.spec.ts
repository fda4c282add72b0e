import { describe, expect, it } from 'vitest';
import { tracingSettingsFromEnv } from './settings.js';

describe('tracingSettingsFromEnv', () => {
  it('is off when no endpoint is set, and says so', () => {
    expect(tracingSettingsFromEnv({})).toEqual({ enabled: false, why: 'no OTEL_EXPORTER_OTLP_ENDPOINT' });
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toMatchObject({ enabled: false });
  });

  it('is on with an endpoint, parent-based and always on by default', () => {
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' })).toEqual({
      enabled: true,
      exporter: 'otlp',
      tracesUrl: 'http://jaeger:4318/v1/traces',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      batch: {},
    });
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector:4318/v1/traces' })).toMatchObject({
      enabled: true,
      tracesUrl: 'https://collector:4318/v1/traces',
    });
  });

  it('honours the switches that turn it off', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' };
    expect(tracingSettingsFromEnv({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toEqual({ enabled: false, why: 'OTEL_SDK_DISABLED=true' });
    expect(tracingSettingsFromEnv({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toEqual({
      enabled: false,
      why: 'OTEL_TRACES_EXPORTER=none',
    });
  });

  it('reads the sampler and the batch settings', () => {
    const settings = tracingSettingsFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '64',
    });
    expect(settings).toMatchObject({
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      batch: { scheduledDelayMillis: 100, maxExportBatchSize: 64 },
    });
  });

  it('names the variable of a value it cannot use', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' };
    expect(() => tracingSettingsFromEnv({ ...endpoint, OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER must be/);
    expect(() => tracingSettingsFromEnv({ ...endpoint, OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER must be/);
    expect(() => tracingSettingsFromEnv({ ...endpoint, OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => tracingSettingsFromEnv({ ...endpoint, OTEL_BSP_SCHEDULE_DELAY: 'soon' })).toThrow(/OTEL_BSP_SCHEDULE_DELAY/);
    expect(() => tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318' })).toThrow(/http:\/\/ or https:\/\//);
  });
});
