import { describe, expect, it } from 'vitest';
import { PauseGate } from './pause-gate.js';

/**
 * Whether the promise has settled once everything already set in motion has
 * run: setImmediate's callback comes after every pending promise callback, so
 * a promise still open then waits for something to happen (a resume, a release,
 * a timer), not for time to pass.
 */
const settledByNow = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('PauseGate', () => {
  it('is open until paused, and opens again on resume', async () => {
    const gate = new PauseGate();
    expect(gate.isOpen).toBe(true);
    gate.pause('a', 60_000);
    expect(gate.isOpen).toBe(false);
    const waiting = gate.waitOpen();
    expect(await settledByNow(waiting)).toBe(false);
    gate.resume('a');
    await waiting;
    expect(gate.isOpen).toBe(true);
  });

  it('stays closed while any run still pauses it', async () => {
    const gate = new PauseGate();
    gate.pause('a', 60_000);
    gate.pause('b', 60_000);
    const waiting = gate.waitOpen();
    gate.resume('a');
    expect(await settledByNow(waiting)).toBe(false);
    expect(gate.isOpen).toBe(false);
    gate.resume('b');
    await waiting;
    expect(gate.isOpen).toBe(true);
  });

  it('opens by itself when the pause runs out', async () => {
    const gate = new PauseGate();
    gate.pause('a', 50);
    const started = Date.now();
    await gate.waitOpen();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(gate.isOpen).toBe(true);
  });

  it('opens for good on release, whatever the pauses', async () => {
    const gate = new PauseGate();
    gate.pause('a', 60_000);
    const waiting = gate.waitOpen();
    gate.release();
    await waiting;
    gate.pause('b', 60_000);
    expect(gate.isOpen).toBe(true);
  });
});
