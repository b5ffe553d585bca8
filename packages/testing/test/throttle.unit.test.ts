// The simulator's throttle windows, on explicit clocks: a sliding window admits a request once the
// admission `limit` before it is a window old; a fixed one starts afresh after its window.
import { describe, expect, it } from 'vitest';
import { Throttle } from '../src/simulator/throttle.js';

const statuses = (throttle: Throttle, times: number[]) => times.map((t) => throttle.admit('t', t)?.status ?? 200);

describe('Throttle', () => {
  it('sliding: at most `limit` admitted in any window, refused requests spend nothing', () => {
    const throttle = new Throttle({ limit: 2, windowMs: 1000, sliding: true });
    // A at 0 and B at 500 are admitted; at 600 the window is full; at 1050 A has left it, B has not.
    expect(statuses(throttle, [0, 500, 600, 1050, 1100, 1499, 1550, 1560])).toEqual([200, 200, 429, 200, 429, 429, 200, 429]);
  });

  it('fixed: the window starts at its first request, and everything after it starts a new one', () => {
    const throttle = new Throttle({ limit: 2, windowMs: 1000 });
    // The same requests: at 1100 a fixed window has started afresh at 1050, where a sliding one refuses.
    expect(statuses(throttle, [0, 500, 600, 1050, 1100, 1499])).toEqual([200, 200, 429, 200, 200, 429]);
  });
});
