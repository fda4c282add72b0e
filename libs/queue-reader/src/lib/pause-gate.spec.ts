import { describe, expect, it } from 'vitest';
import { PauseGate } from './pause-gate.js';

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  return done;
};

describe('PauseGate', () => {
  it('is open until paused, and opens again on resume', async () => {
    const gate = new PauseGate();
    expect(gate.isOpen).toBe(true);
    gate.pause('a', 60_000);
    expect(gate.isOpen).toBe(false);
    const waiting = gate.waitOpen();
    expect(await settled(waiting)).toBe(false);
    gate.resume('a');
    expect(await settled(waiting)).toBe(true);
    expect(gate.isOpen).toBe(true);
  });

  it('stays closed while any run still pauses it', async () => {
    const gate = new PauseGate();
    gate.pause('a', 60_000);
    gate.pause('b', 60_000);
    const waiting = gate.waitOpen();
    gate.resume('a');
    expect(await settled(waiting)).toBe(false);
    expect(gate.isOpen).toBe(false);
    gate.resume('b');
    expect(await settled(waiting)).toBe(true);
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
    expect(await settled(waiting)).toBe(true);
    gate.pause('b', 60_000);
    expect(gate.isOpen).toBe(true);
  });
});
