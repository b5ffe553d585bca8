import { describe, expect, it } from 'vitest';
import { AnswerLog } from '../src/answer-log.js';
import { BudgetPacer, MIN_PACED_BUDGET, paceMargin } from '../src/budget-pacer.js';

/** A host that answered `count` requests at `at`. */
function answered(count: number, at: number, log = new AnswerLog()): AnswerLog {
  for (let i = 0; i < count; i++) log.record(at);
  return log;
}

const SPAN = 1000 + paceMargin(1000);

describe('BudgetPacer', () => {
  it('paces nothing until a 429', () => {
    const pacer = new BudgetPacer();
    expect(pacer.wait(1000, answered(500, 900), 50)).toBe(0);
    expect(pacer.budget).toBe(0);
  });

  it('learns B from the answers in the window before the first 429 (its pause), stragglers included', () => {
    const pacer = new BudgetPacer();
    const log = answered(20, 500); // an earlier window: not counted
    answered(180, 1700, log);
    pacer.refused(1800, 1000); // the first 429: W = 1000
    for (let i = 0; i < 30; i++) pacer.refused(1805, 1000); // the rest of the burst
    answered(20, 1810, log); // answers of the same burst that came back after the first 429
    expect(pacer.wait(2800, log, 0)).toBe(0); // the pause is over: learned on the first call
    expect(pacer.budget).toBe(200);
    expect(pacer.span).toBe(SPAN);
  });

  it('lets a burst of B go at once, then one more start each time a counted request leaves the window', () => {
    const pacer = new BudgetPacer();
    const log = answered(50, 100);
    pacer.refused(200, 1000);
    let now = 1200;
    expect(pacer.wait(now, log, 0)).toBe(0);
    expect(pacer.budget).toBe(50);
    // 50 start at once (each counted in flight), then the 51st waits.
    expect(pacer.wait(now, log, 49)).toBe(0);
    expect(pacer.wait(now, log, 50)).toBe(SPAN); // all in flight: nothing leaves before a span from now
    // 30 answered at 1250: the 51st may start a span after the first of them.
    answered(30, 1250, log);
    now = 1300;
    expect(pacer.wait(now, log, 20)).toBe(1250 + SPAN - now);
    expect(pacer.wait(1250 + SPAN, log, 20)).toBe(0);
    expect(pacer.wait(1250 + SPAN, log, 49)).toBe(0); // the 30 left together
  });

  it('counts requests in flight: a slow answer keeps its place in the window until it comes back', () => {
    const pacer = new BudgetPacer();
    const log = answered(10, 0);
    pacer.refused(10, 1000);
    expect(pacer.wait(2000, log, 10)).toBe(SPAN);
    answered(9, 2100, log); // nine answered; one is still in flight much later
    expect(pacer.wait(2100 + SPAN, log, 1)).toBe(0);
    expect(pacer.wait(2100 + SPAN, log, 10)).toBe(SPAN);
  });

  it('shrinks B by the refused starts when a 429 arrives while paced', () => {
    const pacer = new BudgetPacer();
    const log = answered(250, 0);
    pacer.refused(10, 1000);
    pacer.wait(1100, log, 0);
    expect(pacer.budget).toBe(250);
    for (let i = 0; i < 50; i++) pacer.refused(2200, 1000); // 250 sent, 50 refused: the budget is 200
    answered(200, 2150, log);
    pacer.wait(3300, log, 0);
    expect(pacer.budget).toBe(200);
  });

  it('does not pace a budget too small to tell from a lone 429, nor one the log cannot count', () => {
    const small = new BudgetPacer();
    small.refused(100, 1000);
    expect(small.wait(1200, answered(MIN_PACED_BUDGET - 1, 50), 0)).toBe(0);
    expect(small.budget).toBe(0);
    const none = new BudgetPacer();
    none.refused(100, 1000); // the very first request was refused
    expect(none.wait(1200, new AnswerLog(), 5)).toBe(0);
    expect(none.budget).toBe(0);
    const large = new BudgetPacer();
    const log = new AnswerLog();
    for (let t = 0; t < 10_000; t++) log.record(t / 10); // 10 per ms: far more than the ring holds in a second
    large.refused(1000, 1000);
    expect(large.wait(2000, log, 0)).toBe(0);
    expect(large.budget).toBe(0);
  });

  it('stops pacing when reset (the host has been quiet)', () => {
    const pacer = new BudgetPacer();
    const log = answered(20, 0);
    pacer.refused(10, 1000);
    expect(pacer.wait(1100, log, 20)).toBeGreaterThan(0);
    pacer.reset();
    expect(pacer.wait(1100, log, 20)).toBe(0);
    expect(pacer.budget).toBe(0);
  });
});
