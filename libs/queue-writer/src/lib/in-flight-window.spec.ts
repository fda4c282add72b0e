import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { InFlightWindow } from './in-flight-window.js';

describe('InFlightWindow', () => {
  it('lets `size` operations in at once and the next one only when a slot is released', async () => {
    const window = new InFlightWindow(2);
    await window.acquire();
    await window.acquire();
    let third = false;
    const waiting = window.acquire().then(() => (third = true));
    await nextTurn();
    expect(third).toBe(false);
    window.release();
    await waiting;
    expect(window.inFlight).toBe(2);
  });

  it('serves waiters first come, first served', async () => {
    const window = new InFlightWindow(1);
    await window.acquire();
    const order: number[] = [];
    const both = [1, 2].map((n) => window.acquire().then(() => order.push(n)));
    window.release();
    await both[0];
    window.release();
    await both[1];
    expect(order).toEqual([1, 2]);
  });

  it('idle() resolves once the last slot is released, and at once when nothing is in flight', async () => {
    const window = new InFlightWindow(3);
    await window.idle();
    await window.acquire();
    await window.acquire();
    let idle = false;
    const waiting = window.idle().then(() => (idle = true));
    window.release();
    await nextTurn();
    expect(idle).toBe(false);
    window.release();
    await waiting;
    expect(window.inFlight).toBe(0);
  });

  it('once full, lets waiters in again only at the low mark, all it can at once', async () => {
    const window = new InFlightWindow(4, { resumeAt: 2 });
    for (let i = 0; i < 4; i++) expect(window.tryAcquire()).toBe(true);
    expect(window.tryAcquire()).toBe(false);
    let admitted = 0;
    const waiters = [1, 2, 3].map(() => window.acquire().then(() => admitted++));
    window.release(); // 3 in flight: above the mark
    await nextTurn();
    expect(admitted).toBe(0);
    window.release(); // 2 in flight: the mark; two slots free, two waiters in
    await nextTurn();
    expect(admitted).toBe(2);
    expect(window.inFlight).toBe(4);
    window.release();
    window.release();
    await Promise.all(waiters);
    expect(admitted).toBe(3);
  });

  it('refuses a window of no slots', () => {
    expect(() => new InFlightWindow(0)).toThrow(RangeError);
  });
});
