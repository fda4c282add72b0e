import { PassThrough } from 'node:stream';
import { createLogger } from '@concurrency-lab/logger';
import { describe, expect, it } from 'vitest';
import { handleShutdown } from './shutdown.js';

const logger = createLogger({ service: 'spec', destination: new PassThrough() });

function exitRecorder() {
  const codes: number[] = [];
  let resolveFirst: (code: number) => void = () => undefined;
  const first = new Promise<number>((resolve) => (resolveFirst = resolve));
  return {
    codes,
    first,
    exit: (code: number) => {
      codes.push(code);
      resolveFirst(code);
    },
  };
}

describe('handleShutdown', () => {
  it('runs the steps once and exits 0 on the signal', async () => {
    const recorder = exitRecorder();
    let runs = 0;
    handleShutdown(async () => void runs++, { logger, exit: recorder.exit, signals: ['SIGUSR2'] });
    process.emit('SIGUSR2');
    expect(await recorder.first).toBe(0);
    expect(runs).toBe(1);
  });

  it('exits 1 when a step fails', async () => {
    const recorder = exitRecorder();
    const shutdown = handleShutdown(() => Promise.reject(new Error('drain failed')), { logger, exit: recorder.exit, signals: [] });
    await shutdown('test');
    expect(recorder.codes).toEqual([1]);
  });

  it('exits 1 when the steps outlast the grace period', async () => {
    const recorder = exitRecorder();
    const shutdown = handleShutdown(() => new Promise<void>(() => undefined), {
      logger,
      exit: recorder.exit,
      graceMs: 20,
      signals: [],
    });
    void shutdown('test');
    expect(await recorder.first).toBe(1);
  });

  it('a second call joins the first instead of running the steps again', async () => {
    const recorder = exitRecorder();
    let runs = 0;
    const shutdown = handleShutdown(async () => void runs++, { logger, exit: recorder.exit, signals: [] });
    await Promise.all([shutdown('a'), shutdown('b')]);
    expect(runs).toBe(1);
    expect(recorder.codes).toEqual([0]);
  });
});
