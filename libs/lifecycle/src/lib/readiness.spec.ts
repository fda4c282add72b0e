import { describe, expect, it } from 'vitest';
import { Readiness, type ReadinessCheck } from './readiness.js';

const passing = (name: string): ReadinessCheck => ({ name, run: () => Promise.resolve({ detail: name }) });

/** The report itself; how GET /readyz renders it is tested in libs/http. */
describe('Readiness', () => {
  it('is ready when every check passes, with their details and the shutdown check', async () => {
    expect(await new Readiness([passing('nats'), passing('streams')]).report()).toEqual({
      ready: true,
      checks: { nats: { status: 'ok', detail: 'nats' }, streams: { status: 'ok', detail: 'streams' }, shutdown: { status: 'ok' } },
    });
  });

  it('is not ready when a check rejects or throws, with the reason', async () => {
    const rejecting: ReadinessCheck = { name: 'streams', run: () => Promise.reject(new Error('stream LAB_QUEUE not found')) };
    const throwing: ReadinessCheck = {
      name: 'consumer',
      run: () => {
        throw new Error('no consumer');
      },
    };
    const report = await new Readiness([passing('nats'), rejecting, throwing]).report();
    expect(report.ready).toBe(false);
    expect(report.checks).toMatchObject({
      streams: { status: 'failed', reason: 'stream LAB_QUEUE not found' },
      consumer: { status: 'failed', reason: 'no consumer' },
    });
  });

  it('fails a check that does not answer within its timeout, and aborts it', async () => {
    let aborted = false;
    const hanging: ReadinessCheck = {
      name: 'slow',
      timeoutMs: 50,
      run: (signal) => new Promise(() => signal.addEventListener('abort', () => (aborted = true))),
    };
    const report = await new Readiness([hanging]).report();
    expect(report.checks['slow']).toEqual({ status: 'failed', reason: 'no answer within 50 ms' });
    expect(aborted).toBe(true);
  });

  it('is not ready once shut down, without running the checks', async () => {
    let runs = 0;
    const counted: ReadinessCheck = { name: 'nats', run: async () => void runs++ };
    const readiness = new Readiness([counted]);
    expect((await readiness.report()).ready).toBe(true);
    readiness.shutDown();
    expect(await readiness.report()).toEqual({
      ready: false,
      checks: { shutdown: { status: 'failed', reason: 'the service is shutting down' } },
    });
    expect(runs).toBe(1);
  });

  it('refuses two checks of one name, or one named shutdown', () => {
    expect(() => new Readiness([passing('nats'), passing('nats')])).toThrow(/"nats"/);
    expect(() => new Readiness([passing('shutdown')])).toThrow(/"shutdown"/);
  });
});
