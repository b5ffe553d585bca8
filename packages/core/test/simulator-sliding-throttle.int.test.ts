// The simulator's `throttle: { sliding: true }` (packages/testing/src/simulator/throttle.ts), which
// the pacing tests use: at most `limit` admitted requests in any `windowMs`, refused ones free.
import { describe, expect, it } from 'vitest';
import { startGraphSimulator } from '@graphwire/testing';
import { simulator } from './support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('simulator throttle, sliding window', () => {
  it('applies `sliding: true` to requests over a real socket (its rules, on explicit clocks: throttle.unit.test.ts)', async () => {
    const graph = await simulator({ throttle: { limit: 2, windowMs: 1000, sliding: true } });
    const call = async () => (await fetch(`${graph.url}/v1.0/me`, { headers: { authorization: 'Bearer t' } })).status;
    const t0 = Date.now();
    expect(await call()).toBe(200); // A, at t0
    await sleep(500);
    expect(await call()).toBe(200); // B, at t0 + 500
    expect(await call()).toBe(429);
    await sleep(Math.max(0, t0 + 1050 - Date.now()));
    expect(await call()).toBe(200); // A has left the window, B has not
    // Which requests a sliding window refuses after that, and that refused ones spend nothing, are
    // pinned down on explicit clocks in packages/testing/test/throttle.unit.test.ts.
  });

  it('checks the option like the others', async () => {
    await expect(startGraphSimulator({ throttle: { limit: 1, sliding: 'yes' as unknown as boolean } })).rejects.toThrow(/sliding/);
  });
});
