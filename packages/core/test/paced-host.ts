// A scheduler whose host 'h' has learned a budget, for the unit tests of what runs on paced hosts.
import { expect } from 'vitest';
import { Scheduler } from '../src/scheduler.js';

const signal = () => new AbortController().signal;

/** 13 dispatched, 12 answered, the 13th a 429 pausing 1 s: the host is then paced to 12 per 1005 ms. */
export function pacedHost(options: { maxConcurrency?: number } = {}) {
  const clock = { now: 1000 };
  const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: options.maxConcurrency ?? Number.POSITIVE_INFINITY, now: () => clock.now });
  for (let i = 0; i < 13; i++) {
    expect(scheduler.admit('h', signal())).toBeUndefined();
    expect(scheduler.dispatch('h', signal())).toBeUndefined();
  }
  for (let i = 0; i < 12; i++) {
    scheduler.release('h');
    scheduler.answered('h');
  }
  scheduler.release('h');
  scheduler.throttled('h', 1000);
  clock.now += 1006;
  return { scheduler, clock };
}

/** Exactly one more start may go to 'h' now: the next one waits (and is aborted). */
export async function expectOneMoreStart(scheduler: Scheduler): Promise<void> {
  expect(scheduler.dispatch('h', signal())).toBeUndefined();
  const next = new AbortController();
  const waiting = scheduler.dispatch('h', next.signal);
  expect(waiting).toBeInstanceOf(Promise);
  next.abort(new Error('done'));
  await expect(waiting).rejects.toThrow('done');
}
