import { describe, expect, it } from 'vitest';
import { QUIET_MS } from '../src/host-gate.js';
import { Scheduler } from '../src/scheduler.js';
import { expectOneMoreStart, pacedHost } from './paced-host.js';

const signal = () => new AbortController().signal;

/** What the transport does per attempt: admit, then dispatch right before fetch, then release. */
async function run(scheduler: Scheduler, host: string, work: () => Promise<void>, s = signal()) {
  const admitted = scheduler.admit(host, s);
  if (admitted) await admitted;
  try {
    const dispatched = scheduler.dispatch(host, s);
    if (dispatched) await dispatched;
    await work();
  } finally {
    scheduler.release(host);
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
    scheduler.throttled('throttled', 150);
    scheduler.throttled('throttled', 50); // a shorter pause never cuts a longer one
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
    scheduler.release('h');
    await expect(next).resolves.toBeUndefined();
    scheduler.release('h');
    expect(scheduler.admit('h', signal())).toBeUndefined();
    expect(scheduler.hostWindow('h').active).toBe(1);
  });

  it('rejects waiters on close', async () => {
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: 1 });
    expect(scheduler.admit('h', signal())).toBeUndefined();
    const waiting = scheduler.admit('h', signal());
    scheduler.close(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
    await expect(scheduler.admit('h', signal())).rejects.toThrow('closed');
  });

  it('after a 429 narrows the host to half of what was in flight, then widens additively', async () => {
    let now = 1000;
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: Number.POSITIVE_INFINITY, now: () => now });
    for (let i = 0; i < 10; i++) expect(scheduler.admit('h', signal())).toBeUndefined();
    // The first 429 arrives; its attempt has released its slot (9 still in flight).
    scheduler.release('h');
    scheduler.throttled('h', 500);
    expect(scheduler.hostWindow('h')).toEqual({ active: 9, limit: 5 });
    // More 429s from the same burst do not narrow it again.
    for (let i = 0; i < 4; i++) {
      scheduler.release('h');
      scheduler.throttled('h', 500);
    }
    expect(scheduler.hostWindow('h')).toEqual({ active: 5, limit: 5 });
    now += 600; // the pause is over
    let admitted = 0;
    const queued = Array.from({ length: 3 }, () => scheduler.admit('h', signal()));
    for (const p of queued) void p!.then(() => admitted++);
    for (let i = 0; i < 5; i++) {
      scheduler.release('h');
      scheduler.answered('h'); // five answers: the window grows by one (5 + 5 x 1/5 ≈ 6)
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(admitted).toBe(3);
    expect(scheduler.hostWindow('h')).toEqual({ active: 3, limit: 5 });
    scheduler.answered('h');
    expect(scheduler.hostWindow('h').limit).toBe(6);
    // A new episode halves what is in flight now.
    scheduler.release('h');
    scheduler.throttled('h', 100);
    expect(scheduler.hostWindow('h')).toEqual({ active: 2, limit: 1 });
    // After a quiet period the host is unlimited again and takes the fast path.
    now += 100 + QUIET_MS + 1;
    expect(scheduler.admit('h', signal())).toBeUndefined();
    expect(scheduler.hostWindow('h').limit).toBe(Number.POSITIVE_INFINITY);
  });

  it('dispatches at once, allocating nothing, for a host never throttled and without requestsDelay', () => {
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: Number.POSITIVE_INFINITY });
    expect(scheduler.admit('h', signal())).toBeUndefined();
    expect(scheduler.dispatch('h', signal())).toBeUndefined();
    expect(scheduler.dispatch('unknown', signal())).toBeUndefined();
  });

  it('spaces at dispatch, not at admission: a wait between the two (for a token) does not eat the delay', async () => {
    const scheduler = new Scheduler({ requestsDelay: 50, maxConcurrency: Number.POSITIVE_INFINITY });
    // Both are admitted at once: admission no longer spaces.
    expect(scheduler.admit('h', signal())).toBeUndefined();
    expect(scheduler.admit('h', signal())).toBeUndefined();
    await new Promise((r) => setTimeout(r, 80)); // both wait for their token
    expect(scheduler.dispatch('h', signal())).toBeUndefined();
    const t0 = performance.now();
    const second = scheduler.dispatch('h', signal());
    expect(second).toBeInstanceOf(Promise);
    await second;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(48);
  });

  it('holds a dispatch while the host is paused by a 429 that came after the attempt was admitted', async () => {
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: Number.POSITIVE_INFINITY });
    expect(scheduler.admit('h', signal())).toBeUndefined();
    expect(scheduler.admit('h', signal())).toBeUndefined();
    expect(scheduler.dispatch('h', signal())).toBeUndefined();
    scheduler.release('h');
    scheduler.throttled('h', 120); // the first attempt's answer: a 429
    const t0 = performance.now();
    const held = scheduler.dispatch('h', signal());
    expect(held).toBeInstanceOf(Promise);
    await held;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    // A pause heard from a peer holds it just the same.
    scheduler.heard('h', Date.now() + 100);
    const heard = new AbortController();
    const waiting = scheduler.dispatch('h', heard.signal);
    expect(waiting).toBeInstanceOf(Promise);
    heard.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
  });

  it('paces dispatches to the budget learned from a 429: B at once, then the rest wait', async () => {
    let now = 1000;
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: Number.POSITIVE_INFINITY, now: () => now });
    // 30 attempts admitted; 13 go out: 12 are answered, the 13th draws a 429 with a pause of 1 s.
    // The other 17 (still waiting for a token, say) are dispatched after the pause.
    for (let i = 0; i < 30; i++) expect(scheduler.admit('h', signal())).toBeUndefined();
    for (let i = 0; i < 13; i++) expect(scheduler.dispatch('h', signal())).toBeUndefined();
    for (let i = 0; i < 12; i++) {
      scheduler.release('h');
      scheduler.answered('h');
    }
    scheduler.release('h');
    scheduler.throttled('h', 1000);
    expect(scheduler.hostBudget('h')).toBeUndefined(); // learned once the pause is over
    now += 1006; // the pause, and a span (W plus the margin) since the answers, are over
    const controller = new AbortController();
    const dispatched = Array.from({ length: 17 }, () => scheduler.dispatch('h', controller.signal));
    expect(scheduler.hostBudget('h')).toEqual({ budget: 12, span: 1005 });
    expect(dispatched.slice(0, 12).every((d) => d === undefined)).toBe(true);
    expect(dispatched.slice(12).every((d) => d instanceof Promise)).toBe(true);
    controller.abort(new Error('done'));
    for (const waiting of dispatched.slice(12)) await expect(waiting).rejects.toThrow('done');
    for (let i = 0; i < 17; i++) scheduler.release('h', false); // aborted before fetch
    // Pacing ends with the concurrency window, after a quiet period.
    now += QUIET_MS + 1;
    expect(scheduler.admit('h', signal())).toBeUndefined();
    expect(scheduler.dispatch('h', signal())).toBeUndefined();
    expect(scheduler.hostBudget('h')).toBeUndefined();
  });

  it('counts a 401 replay as a start of its own, so paced replays never wait on their own attempts', () => {
    const { scheduler } = pacedHost();
    // The budget's 12 go out; each is answered 401 and replayed: the rejected exchange is over.
    for (let i = 0; i < 12; i++) expect(scheduler.dispatch('h', signal())).toBeUndefined();
    // Before, each replay counted a second start: 12 in flight with nothing at the server, and a stall.
    for (let i = 0; i < 12; i++) expect(scheduler.dispatch('h', signal(), true)).not.toBeInstanceOf(Promise);
  });

  it('keeps the in-flight count exact when a 401 replay is aborted before it starts', async () => {
    const { scheduler, clock } = pacedHost();
    for (let i = 0; i < 12; i++) expect(scheduler.dispatch('h', signal())).toBeUndefined(); // the budget
    scheduler.heard('h', clock.now + 500); // a peer's pause: nothing learned, nothing shrunk
    const gaveUp = new AbortController();
    const replay = scheduler.dispatch('h', gaveUp.signal, true); // one was answered 401: it is over
    expect(replay).toBeInstanceOf(Promise);
    gaveUp.abort(new Error('gave up'));
    await expect(replay).rejects.toThrow('gave up');
    scheduler.release('h', false); // the replay never reached fetch: nothing more to end
    clock.now += 501;
    // 11 in flight: one more may start, and only one (a count ended twice would let two through).
    await expectOneMoreStart(scheduler);
  });

  it("lends a maxConcurrency slot while a host's pause holds it at dispatch, so other hosts go on", async () => {
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: 1 });
    const held = new AbortController();
    expect(scheduler.admit('h', held.signal)).toBeUndefined(); // the only slot
    scheduler.throttled('h', 60_000); // a 429 arrived while this attempt waited for its token
    const waiting = scheduler.dispatch('h', held.signal);
    expect(waiting).toBeInstanceOf(Promise);
    await Promise.resolve();
    // Before, another host waited behind it until the pause ended.
    expect(scheduler.admit('other', signal())).toBeUndefined();
    expect(scheduler.admit('other', signal())).toBeInstanceOf(Promise); // the cap still holds
    scheduler.release('other');
    held.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    scheduler.release('h', false); // it never reached fetch; it gives back the slot it took back
    await new Promise((r) => setTimeout(r, 0));
    expect(scheduler.admit('other', signal())).toBeInstanceOf(Promise); // the queued one above has it
  });

  it('learns a budget from $batch items as from single answers: each spent one unit of it', () => {
    let now = 1000;
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: Number.POSITIVE_INFINITY, now: () => now });
    for (let call = 0; call < 2; call++) {
      expect(scheduler.admit('h', signal())).toBeUndefined();
      expect(scheduler.dispatch('h', signal())).toBeUndefined();
      scheduler.release('h');
    }
    scheduler.answered('h', 20); // the first $batch call: 20 items answered
    scheduler.throttled('h', 1000); // the second drew a 429
    now += 1006;
    expect(scheduler.dispatch('h', signal())).toBeUndefined();
    expect(scheduler.hostBudget('h')).toEqual({ budget: 20, span: 1005 });
  });

  it("leaves a narrowed window alone for $batch items: it counts exchanges, and the batch's own answer widened it", () => {
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 8; i++) expect(scheduler.admit('h', signal())).toBeUndefined();
    scheduler.release('h');
    scheduler.throttled('h', 0); // 8 in flight: narrowed to 4
    expect(scheduler.hostWindow('h').limit).toBe(4);
    scheduler.answered('h', 20);
    expect(scheduler.hostWindow('h').limit).toBe(4);
    for (let i = 0; i < 5; i++) scheduler.answered('h'); // + 1 / window for each exchange answered
    expect(scheduler.hostWindow('h').limit).toBe(5);
  });

  it('leaves other hosts alone', () => {
    const scheduler = new Scheduler({ requestsDelay: 0, maxConcurrency: Number.POSITIVE_INFINITY });
    expect(scheduler.admit('a', signal())).toBeUndefined();
    scheduler.release('a');
    scheduler.throttled('a', 10_000);
    expect(scheduler.admit('b', signal())).toBeUndefined();
    expect(scheduler.admit('a', signal())).toBeInstanceOf(Promise);
  });
});
