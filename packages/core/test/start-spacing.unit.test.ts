import { describe, expect, it } from 'vitest';
import { StartSpacing } from '../src/start-spacing.js';

describe('StartSpacing', () => {
  it('lets the first start go at once, then hands out turns one delay apart', () => {
    const spacing = new StartSpacing(100);
    expect(spacing.wait(1000)).toBe(0);
    spacing.started(1000);
    expect(spacing.wait(1000)).toBe(100);
    expect([spacing.reserve(1000), spacing.reserve(1000), spacing.reserve(1010)]).toEqual([100, 200, 290]);
    // Nobody may jump the queue of reserved turns.
    expect(spacing.wait(1100)).toBe(300); // the next free turn is 1400
  });

  it('measures the gap from the real previous start: a late timer never brings two starts closer', () => {
    const spacing = new StartSpacing(100);
    spacing.started(1000);
    expect(spacing.reserve(1000)).toBe(100); // turn at 1100
    expect(spacing.reserve(1000)).toBe(200); // turn at 1200
    spacing.started(1150); // the first waiter's timer fired 50 ms late
    expect(spacing.gap(1200)).toBe(50); // the second waits for 1250, not its turn at 1200
    expect(spacing.gap(1250)).toBe(0);
  });

  it('spaces from a later restamp (the moment fetch was called), never from an earlier one', () => {
    const spacing = new StartSpacing(100);
    spacing.started(1000);
    spacing.restamp(1004);
    expect(spacing.gap(1100)).toBe(4);
    spacing.restamp(990);
    expect(spacing.gap(1104)).toBe(0);
  });
  it('gives the turns of aborted waiters back, so a later start does not wait for them', async () => {
    const now = 1000;
    const spacing = new StartSpacing(100, () => now);
    spacing.started(now);
    const kept = new AbortController();
    const stays = spacing.space(kept.signal); // turn 1100: it still waits
    const gaveUp = new AbortController();
    const waiters = Array.from({ length: 8 }, () => spacing.space(gaveUp.signal)); // turns 1200 … 1900
    gaveUp.abort(new Error('gave up'));
    for (const waiter of waiters) await expect(waiter).rejects.toThrow('gave up');
    // The next start goes right after the one still waiting (1200), not after 8 abandoned turns (2000).
    expect(spacing.reserve(now)).toBe(200);
    kept.abort(new Error('done'));
    await expect(stays).rejects.toThrow('done');
    expect(spacing.reserve(now)).toBe(100); // only the gap to the real previous start is left
  });
});
