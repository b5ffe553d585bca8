// python-o365's `requests_delay`: at least `delay` ms between two request starts on a connection.
// A start is the moment a request is handed to fetch (after any wait for a token), so the gap holds
// at the wire. Waiters reserve turns one delay apart, so each sleeps once instead of all waking at
// the next free moment; the turn is only a hint: the gap itself is checked against the real
// previous start, because timers fire late on a busy event loop.
// The checks take `now`, so they are tested without timers; `space` and `restampSoon` use the clock.
import { sleep, sleepWhile } from './abortable-sleep.js';

export class StartSpacing {
  readonly delay: number;
  readonly #clock: () => number;
  #nextTurn = 0;
  #lastStart = Number.NEGATIVE_INFINITY;
  /** Turns reserved by waiters still sleeping: an aborted waiter's turn is given back through them. */
  readonly #waiting = new Set<number>();
  readonly #restamp = () => this.restamp(this.#clock());

  constructor(delay: number, clock: () => number = Date.now) {
    this.delay = delay;
    this.#clock = clock;
  }

  /** Milliseconds until a start may go at `now` without a reservation (0: now). */
  wait(now: number): number {
    return Math.max(0, this.#lastStart + this.delay - now, this.#nextTurn - now);
  }

  /** Reserves the next turn and returns the ms to sleep until it (0: now). */
  reserve(now: number): number {
    const turn = Math.max(now, this.#nextTurn);
    this.#nextTurn = turn + this.delay;
    return turn - now;
  }

  /** Milliseconds until the gap to the previous start is kept (0: it is), whatever turn was reserved. */
  gap(now: number): number {
    return Math.max(0, this.#lastStart + this.delay - now);
  }

  /** Sleeps until a reserved turn, then until the gap to the real previous start is kept. */
  async space(signal: AbortSignal): Promise<void> {
    const now = this.#clock();
    const wait = this.reserve(now);
    const turn = now + wait;
    this.#waiting.add(turn);
    try {
      if (wait > 0) await sleep(wait, signal);
      await sleepWhile(() => this.gap(this.#clock()), signal);
    } catch (error) {
      this.#giveBack(turn);
      throw error;
    } finally {
      this.#waiting.delete(turn);
    }
  }

  /** An aborted waiter's turn: the next reservation goes right after the turns still waited for. */
  #giveBack(turn: number): void {
    this.#waiting.delete(turn);
    let last = this.#lastStart;
    for (const other of this.#waiting) if (other > last) last = other;
    this.#nextTurn = Math.min(this.#nextTurn, last + this.delay);
  }

  /** The start at `now` was stamped before fetch was called: space the next one from `now`. */
  restamp(now: number): void {
    if (this.#lastStart < now) this.#lastStart = now;
  }

  /**
   * A start is stamped when its checks pass, a few µs before the transport calls fetch, and a busy
   * machine can deschedule the process in between. Called right after the stamp, this restamps it
   * once the current job and the ones queued before are done: after the synchronous call to fetch
   * that follows a fast-path dispatch, and, called from a reaction registered before the
   * transport awaits a slow-path dispatch, after that continuation's call too.
   */
  restampSoon(): void {
    queueMicrotask(this.#restamp);
  }

  started(now: number): void {
    this.#lastStart = now;
    if (this.#nextTurn < now + this.delay) this.#nextTurn = now + this.delay;
  }
}
