import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { context, trace } from '@opentelemetry/api';
import { createLogger } from './create-logger.js';

function captureText() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { text: () => chunks.join(''), destination };
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('names the active span on lines written inside one, and nothing outside', async () => {
    // The SDK's own context manager and tracer, as libs/tracing registers them when tracing is on.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new TracerProvider());
    try {
      const { lines, destination } = capture();
      const logger = createLogger({ service: 'writer', destination });
      const span = trace.getTracer('logger-spec').startSpan('write run');
      context.with(trace.setSpan(context.active(), span), () => logger.child({ runId: 'r-1' }).info('inside'));
      logger.info('outside');
      const { traceId, spanId } = span.spanContext();
      expect(lines[0]).toMatchObject({ msg: 'inside', runId: 'r-1', trace_id: traceId, span_id: spanId });
      expect(lines[1]).not.toHaveProperty('trace_id');
    } finally {
      trace.disable();
      context.disable();
    }
  });

  it('writes JSON lines bound to service and pid, with level names', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'writer', destination });
    logger.child({ runId: 'r-1' }).info({ seq: 2 }, 'item written');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      service: 'writer',
      host: hostname(),
      pid: process.pid,
      runId: 'r-1',
      seq: 2,
      level: 'info',
      msg: 'item written',
    });
    expect(typeof lines[0]?.['time']).toBe('string');
  });

  it('drops lines below the configured level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'reader', level: 'warn', destination });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((line) => line['msg'])).toEqual(['loud']);
  });

  it('writes stdout synchronously, so the last lines before an exit come out whole and in order', () => {
    const logger = createLogger({ service: 'writer', level: 'silent' });
    const stream = (logger as unknown as Record<symbol, { sync?: boolean; fd?: number }>)[pino.symbols.streamSym];
    expect(stream).toMatchObject({ sync: true, fd: 1 });
  });

  it('writes one readable line per entry with LOG_FORMAT=pretty: time, level, pid, service, message, then the fields', () => {
    const { text, destination } = captureText();
    const logger = createLogger({ service: 'reader', format: 'pretty', destination });
    logger.child({ runId: 'r-7' }).warn({ seq: 3 }, 'item read twice');
    const lines = text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN \(\d+\): reader: item read twice \{"runId":"r-7","seq":3\}$/);
    expect(lines[0]).toContain(`(${process.pid})`);
    // The host is pino-pretty's "hostname" in name only: ours is "host", and it stays out of the line.
    expect(lines[0]).not.toContain(hostname());
    expect(lines[0]).not.toContain('\u001b['); // no colours when not writing to a terminal
  });

  it('keeps the level filter in pretty format too', () => {
    const { text, destination } = captureText();
    const logger = createLogger({ service: 'writer', format: 'pretty', level: 'error', destination });
    logger.warn('quiet');
    logger.error('loud');
    expect(text()).not.toContain('quiet');
    expect(text()).toContain('writer: loud');
  });
});
