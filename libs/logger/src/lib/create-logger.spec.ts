import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';

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
});
