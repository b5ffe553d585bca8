import { describe, expect, it } from 'vitest';
import { Scheduler } from '../src/scheduler.js';

const signal = () => new AbortController().signal;

async function run(scheduler: Scheduler, host: string, work: () => Promise<void>, s = signal()) {
  const admitted = scheduler.admit(host, s);
  if (admitted) await admitted;
  try {
    await work();
  } finally {
    scheduler.release();
  }
}

describe('Scheduler', () => {
  it('admits at once, allocating nothing, when no limit applies', () => {
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: Number.POSITIVE_INFINITY });
    expect(scheduler.admit('h', signal())).toBeUndefined();
  });

  it('never exceeds maxConcurrency and serves waiters in order', async () => {
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: 3 });
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        run(scheduler, 'h', async () => {
          order.push(i);
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('spaces starts by requestsDelay', async () => {
    const scheduler = new Scheduler({ requestsDelay: 40, maxConcurrency: Number.POSITIVE_INFINITY });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => run(scheduler, 'h', async () => void starts.push(performance.now()))));
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(38);
  });

  it('holds a paused host and lets others through', async () => {
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: Number.POSITIVE_INFINITY });
    scheduler.pause('throttled', 150);
    scheduler.pause('throttled', 50); // a shorter pause never cuts a longer one
    const t0 = performance.now();
    let other = 0;
    await run(scheduler, 'other', async () => void (other = performance.now() - t0));
    let paused = 0;
    await run(scheduler, 'throttled', async () => void (paused = performance.now() - t0));
    expect(other).toBeLessThan(50);
    expect(paused).toBeGreaterThanOrEqual(140);
    expect(scheduler.pausedFor('throttled')).toBe(0);
  });

  it('lets an aborted waiter leave the queue without losing a slot', async () => {
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: 1 });
    expect(scheduler.admit('h', signal())).toBeUndefined();
    const controller = new AbortController();
    const waiting = scheduler.admit('h', controller.signal);
    const next = scheduler.admit('h', signal());
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    scheduler.release();
    await expect(next).resolves.toBeUndefined();
    scheduler.release();
    expect(scheduler.admit('h', signal())).toBeUndefined();
  });

  it('rejects waiters on close', async () => {
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: 1 });
    scheduler.admit('h', signal());
    const waiting = scheduler.admit('h', signal());
    scheduler.close(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
    await expect(scheduler.admit('h', signal())).rejects.toThrow('closed');
  });
});
