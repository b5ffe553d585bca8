// The lease lock (no Web Locks) renews its lease while the holder works, so a sign-in that
// outlasts the lease still keeps other tabs out; a dead holder's lease still runs out.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { leaseLock } from '../src/cross-tab-lock.js';
import { memoryBackend } from '../src/key-value-backend.js';

const LEASE_MS = 1_000;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('lease lock heartbeat', () => {
  test('work lasting five leases keeps a second tab out until it ends', async () => {
    const backend = memoryBackend();
    const events: string[] = [];
    const firstTab = leaseLock(backend, LEASE_MS);
    const secondTab = leaseLock(backend, LEASE_MS);
    const first = firstTab('account', async () => {
      events.push(`first in at ${Date.now()}`);
      await new Promise((resolve) => setTimeout(resolve, 5 * LEASE_MS));
      events.push('first out');
    });
    await vi.advanceTimersByTimeAsync(10);
    const second = secondTab('account', async () => {
      events.push('second in');
    });
    await vi.advanceTimersByTimeAsync(5 * LEASE_MS + 100); // the second tab polls every 20–50 ms
    await Promise.all([first, second]);
    expect(events).toEqual([expect.stringMatching(/^first in/), 'first out', 'second in']);
    expect(vi.getTimerCount()).toBe(0); // the heartbeat stopped with the work
  });

  test('the lease is renewed at a third of its length and released at the end', async () => {
    const backend = memoryBackend();
    const key = 'graphwire:lease:account';
    const expiries: number[] = [];
    const done = leaseLock(backend, LEASE_MS)('account', async () => {
      for (let beat = 0; beat < 4; beat += 1) {
        expiries.push(((await backend.get(key)) as { until: number }).until - Date.now());
        await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 2));
      }
    });
    await vi.advanceTimersByTimeAsync(3 * LEASE_MS);
    await done;
    // Never closer than two thirds of a lease to running out while the holder lives.
    for (const left of expiries) expect(left).toBeGreaterThan((2 * LEASE_MS) / 3 - 1);
    expect(await backend.get(key)).toEqual({ owner: '', until: 0 });
  });

  test('a lease whose holder stopped beating (closed tab) expires after leaseMs', async () => {
    const backend = memoryBackend();
    await backend.set('graphwire:lease:account', { owner: 'closed-tab', until: Date.now() + LEASE_MS });
    let entered = 0;
    const waiting = leaseLock(backend, LEASE_MS)('account', async () => {
      entered = Date.now();
    });
    const start = Date.now();
    await vi.advanceTimersByTimeAsync(2 * LEASE_MS);
    await waiting;
    expect(entered - start).toBeGreaterThanOrEqual(LEASE_MS);
    expect(entered - start).toBeLessThan(LEASE_MS + 100);
  });
});
