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
});
