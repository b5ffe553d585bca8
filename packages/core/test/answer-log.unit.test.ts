import { describe, expect, it } from 'vitest';
import { ANSWER_LOG_SIZE, AnswerLog } from '../src/answer-log.js';

describe('AnswerLog', () => {
  it('counts the answers after a moment, and names the n-th oldest of them', () => {
    const log = new AnswerLog();
    for (const t of [10, 20, 20, 30, 40]) log.record(t);
    expect(log.after(0)).toBe(5);
    expect(log.after(20)).toBe(2); // strictly after
    expect(log.nthAfter(1)).toBe(30);
    expect(log.nthAfter(2)).toBe(40);
    expect(log.nthAfter(3)).toBeUndefined();
    expect(log.after(40)).toBe(0);
    // A longer window than the last one looks back again.
    expect(log.after(15)).toBe(4);
    expect(log.nthAfter(1)).toBe(20);
  });

  it('keeps the newest answers when the ring wraps', () => {
    const log = new AnswerLog();
    for (let t = 1; t <= ANSWER_LOG_SIZE + 100; t++) log.record(t);
    expect(log.after(ANSWER_LOG_SIZE + 50)).toBe(50);
    expect(log.nthAfter(1)).toBe(ANSWER_LOG_SIZE + 51);
    // Everything the ring holds is newer than 0: capped at its size.
    expect(log.after(0)).toBe(ANSWER_LOG_SIZE);
    expect(log.nthAfter(1)).toBe(101);
  });

  it('extrapolates countSince at the rate the ring covers when older answers were overwritten', () => {
    const log = new AnswerLog();
    // Two answers per ms for 2 * size ms: the ring covers the last size / 2 ms.
    for (let t = 0; t < 2 * ANSWER_LOG_SIZE; t += 0.5) log.record(t);
    const now = 2 * ANSWER_LOG_SIZE;
    expect(log.countSince(now - ANSWER_LOG_SIZE, now)).toBe(2 * ANSWER_LOG_SIZE);
    expect(log.countSince(now - 100, now)).toBe(199); // within the ring: exact (answers after now - 100)
    expect(new AnswerLog().countSince(0, 10)).toBe(0);
  });
});
