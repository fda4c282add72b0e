import { describe, expect, it } from 'vitest';
import { sendBounded } from './load.js';

/** A request nothing answers: it rejects, as fetch does, once its signal aborts. */
const never = (signal: AbortSignal) =>
  new Promise<number>((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(new Error('aborted', { cause: signal.reason })), { once: true }),
  );

describe('sendBounded', () => {
  it('sends exactly count requests, never more than inFlight awaiting at once, and tallies their statuses', async () => {
    let awaiting = 0;
    let most = 0;
    let sent = 0;
    const result = await sendBounded({
      count: 50,
      inFlight: 4,
      timeLimitMs: 10_000,
      send: async () => {
        const mine = ++sent;
        awaiting++;
        most = Math.max(most, awaiting);
        await new Promise((resolve) => setImmediate(resolve));
        awaiting--;
        return mine % 10 === 0 ? 429 : 201;
      },
    });
    expect(sent).toBe(50);
    expect(most).toBe(4);
    expect(result).toMatchObject({ statuses: { 201: 45, 429: 5 }, networkErrors: 0, notSent: 0 });
    expect(result.firstNetworkError).toBeUndefined();
  });

  it('counts a request that throws as a network error, with the first reason and its cause', async () => {
    let calls = 0;
    const result = await sendBounded({
      count: 3,
      inFlight: 1,
      timeLimitMs: 10_000,
      send: async () => {
        if (++calls === 2) throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
        return 200;
      },
    });
    expect(result).toMatchObject({ statuses: { 200: 2 }, networkErrors: 1, notSent: 0, firstNetworkError: 'fetch failed: ECONNRESET' });
  });

  it('stops at the time limit: what is in flight is aborted, the rest is never sent', async () => {
    const result = await sendBounded({ count: 100, inFlight: 2, timeLimitMs: 50, send: never });
    expect(result).toMatchObject({ statuses: {}, networkErrors: 2, notSent: 98 });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(45);
  });
});
