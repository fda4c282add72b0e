import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig, requiredVariables } from './load-config.js';
import { coordinatorConfigSchema, readerConfigSchema, writerConfigSchema } from './services.js';

const nats = { NATS_URL: 'nats://127.0.0.1:4222' };

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults for everything but NATS_URL', () => {
    const config = loadConfig(coordinatorConfigSchema, nats);
    expect(config).toEqual({
      NATS_URL: 'nats://127.0.0.1:4222',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      HOST: '127.0.0.1',
      PORT: 3000,
      QUEUE_RUN_TIMEOUT_MS: 300_000,
      NATS_REPLICAS: 1,
    });
  });

  it.each([
    ['coordinator', coordinatorConfigSchema],
    ['writer', writerConfigSchema],
    ['reader', readerConfigSchema],
  ] as const)('gives the %s NATS_REPLICAS from 1 to 5, 1 by default', (_name, schema) => {
    expect(loadConfig(schema, nats).NATS_REPLICAS).toBe(1);
    expect(loadConfig(schema, { ...nats, NATS_REPLICAS: '3' }).NATS_REPLICAS).toBe(3);
    for (const wrong of ['0', '6', '2.5', 'three']) {
      expect(configErrorOf(() => loadConfig(schema, { ...nats, NATS_REPLICAS: wrong })).message).toContain('NATS_REPLICAS');
    }
  });

  it('leaves POOL_SIZE unset unless given, and bounds it', () => {
    expect(loadConfig(coordinatorConfigSchema, nats).POOL_SIZE).toBeUndefined();
    expect(loadConfig(coordinatorConfigSchema, { ...nats, POOL_SIZE: '3' }).POOL_SIZE).toBe(3);
    expect(configErrorOf(() => loadConfig(coordinatorConfigSchema, { ...nats, POOL_SIZE: '65' })).variable).toBe('POOL_SIZE');
  });

  it('coerces numbers from strings', () => {
    const config = loadConfig(coordinatorConfigSchema, { ...nats, PORT: '8080' });
    expect(config.PORT).toBe(8080);
  });

  it('takes LOG_FORMAT json or pretty, and names the two when given anything else', () => {
    expect(loadConfig(writerConfigSchema, { ...nats, LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(loadConfig(writerConfigSchema, { ...nats, LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    const error = configErrorOf(() => loadConfig(readerConfigSchema, { ...nats, LOG_FORMAT: 'text' }));
    expect(error.message).toBe('Invalid configuration: LOG_FORMAT is invalid: must be json or pretty (got "text")');
  });

  it('names the variable when a value is invalid', () => {
    const error = configErrorOf(() => loadConfig(coordinatorConfigSchema, { ...nats, PORT: 'abc' }));
    expect(error.variable).toBe('PORT');
    expect(error.message).toMatch(/^Invalid configuration: PORT is invalid: .*"abc"/);
  });

  it('rejects a port out of range', () => {
    const error = configErrorOf(() => loadConfig(writerConfigSchema, { ...nats, PORT: '70000' }));
    expect(error.message).toContain('from 1 to 65535');
  });

  it('names a missing required variable', () => {
    const error = configErrorOf(() => loadConfig(readerConfigSchema, {}));
    expect(error.variable).toBe('NATS_URL');
    expect(error.message).toContain('is required');
  });

  it('rejects an unknown log level and a URL without a scheme', () => {
    expect(configErrorOf(() => loadConfig(readerConfigSchema, { ...nats, LOG_LEVEL: 'loud' })).variable).toBe('LOG_LEVEL');
    expect(configErrorOf(() => loadConfig(readerConfigSchema, { NATS_URL: 'localhost:4222' })).variable).toBe('NATS_URL');
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig(writerConfigSchema, { ...nats, PORT: '' }).PORT).toBe(3001);
  });

  it('accepts several comma-separated servers', () => {
    const url = 'nats://a:4222,nats://b:4222';
    expect(loadConfig(writerConfigSchema, { NATS_URL: url }).NATS_URL).toBe(url);
  });
});

describe('NATS credentials', () => {
  it('are optional: a server without authorization takes none', () => {
    const config = loadConfig(writerConfigSchema, nats);
    expect(config.NATS_USER).toBeUndefined();
    expect(config.NATS_PASSWORD).toBeUndefined();
  });

  it('pass through when both are set', () => {
    const config = loadConfig(readerConfigSchema, { ...nats, NATS_USER: 'reader', NATS_PASSWORD: 'secret-1' });
    expect(config).toMatchObject({ NATS_USER: 'reader', NATS_PASSWORD: 'secret-1' });
  });

  it.each([
    ['NATS_USER', { NATS_PASSWORD: 'secret-1' }, 'NATS_USER is required but not set (must be set together with NATS_PASSWORD)'],
    ['NATS_PASSWORD', { NATS_USER: 'writer' }, 'NATS_PASSWORD is required but not set (must be set together with NATS_USER)'],
    [
      'NATS_PASSWORD',
      { NATS_USER: 'writer', NATS_PASSWORD: '' },
      'NATS_PASSWORD is required but not set (must be set together with NATS_USER)',
    ],
  ])('names %s when only the other is set, in every service', (variable, credentials, message) => {
    for (const schema of [coordinatorConfigSchema, writerConfigSchema, readerConfigSchema]) {
      const error = configErrorOf(() => loadConfig(schema, { ...nats, ...credentials }));
      expect(error.variable).toBe(variable);
      expect(error.message).toBe(`Invalid configuration: ${message}`);
    }
  });

  it('never repeat a secret value in an error: it would end up in the logs', () => {
    const schema = z.object({ NATS_PASSWORD: z.string().min(12, 'must be at least 12 characters') });
    const error = configErrorOf(() => loadConfig(schema, { NATS_PASSWORD: 'hunter2' }));
    expect(error.message).toBe('Invalid configuration: NATS_PASSWORD is invalid: must be at least 12 characters');
  });

  it('are not required variables', () => {
    expect(requiredVariables(writerConfigSchema)).not.toContain('NATS_USER');
    expect(requiredVariables(writerConfigSchema)).not.toContain('NATS_PASSWORD');
  });
});

describe('requiredVariables', () => {
  it('lists only the variables without a default', () => {
    expect(requiredVariables(coordinatorConfigSchema)).toEqual(['NATS_URL']);
    expect(requiredVariables(readerConfigSchema)).toEqual(['NATS_URL']);
  });
});
