import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from './create-logger.js';
import { lazyChild } from './lazy-child.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ service: 'spec', level, destination }), lines };
}

const withoutTime = ({ time: _time, ...line }: Record<string, unknown>) => line;

describe('lazyChild', () => {
  it('writes the same lines as a child, its children with their bindings too', () => {
    const { logger, lines } = capture('info');
    const lazy = lazyChild(logger, { runId: 'r1' });
    lazy.info({ tasks: 2 }, 'run started');
    lazy.child({ mode: 'async' }).warn('mode finished');
    logger.child({ runId: 'r1' }).info({ tasks: 2 }, 'run started');
    logger.child({ runId: 'r1' }).child({ mode: 'async' }).warn('mode finished');
    expect(lines.slice(0, 2).map(withoutTime)).toEqual(lines.slice(2).map(withoutTime));
    expect(lines[1]).toMatchObject({ runId: 'r1', mode: 'async', level: 'warn', msg: 'mode finished' });
    expect(lazy.bindings()).toEqual(logger.child({ runId: 'r1' }).bindings());
    expect(lazy.level).toBe('info');
  });

  it('makes no child while every line is below the level, and makes them when a line is logged', () => {
    const { logger, lines } = capture('warn');
    const child = vi.spyOn(logger, 'child');
    const lazy = lazyChild(logger, { runId: 'r2' });
    const perMode = lazy.child({ mode: 'sequential' });
    lazy.info('run started');
    perMode.debug('download started');
    expect(perMode.isLevelEnabled('info')).toBe(false);
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
    perMode.error({ reason: 'x' }, 'run failed');
    expect(child).toHaveBeenCalledTimes(2); // the run's child, then its mode's
    expect(lines).toEqual([expect.objectContaining({ level: 'error', runId: 'r2', mode: 'sequential', reason: 'x', msg: 'run failed' })]);
  });
});
