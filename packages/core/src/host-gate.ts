// What a 429 changes for one host. First, a pause until Retry-After for every request on the
// connection. Then a concurrency window (additive increase, multiplicative decrease, as TCP does):
// it starts at half of what was in flight and widens by one per window of answers, so the requests
// that queued during the pause go out gradually instead of rushing into a fresh round of 429s, and
// a concurrency-based limit (Outlook allows 4 requests per mailbox) is found instead of hammered.
// And, for the host's own 429s, pacing to the request budget they reveal (budget-pacer.ts), which
// a window alone cannot find. After QUIET_MS without a 429 the host is unlimited again.
import { AnswerLog } from './answer-log.js';
import { BudgetPacer } from './budget-pacer.js';
import { SlotQueue } from './slot-queue.js';

const UNLIMITED = Number.POSITIVE_INFINITY;
export const QUIET_MS = 30_000;

export class HostGate {
  /** 0 until a pause (and again after a quiet period): the hot paths test only this. */
  pausedUntil = 0;
  /** The latest `until` published to or heard from a throttle channel: what the peers already know. */
  announced = 0;
  readonly slots = new SlotQueue(UNLIMITED);
  readonly pacer = new BudgetPacer();
  readonly #answers = new AnswerLog();
  #window = UNLIMITED;
  /** Exchanges handed to fetch and not yet over. */
  #inFlight = 0;

  /** A pause, from a 429 here or heard from a peer. Called after the throttled attempt released its slot. */
  throttled(until: number, now: number): void {
    // 429s from requests already in flight when the first one arrived belong to the same episode:
    // narrowing again for each would collapse the window to 1.
    const newEpisode = this.pausedUntil <= now;
    if (until > this.pausedUntil) this.pausedUntil = until;
    if (!newEpisode) return;
    const inFlight = this.slots.active + 1;
    this.#setWindow(Math.max(1, Math.floor(Math.min(inFlight, this.#window) / 2)));
  }

  /**
   * A 429 answered one of this connection's own requests, asking for `pauseMs`: the budget is
   * learned from these only (a heard pause says nothing about what this connection was allowed).
   */
  refused(now: number, pauseMs: number): void {
    this.pacer.refused(now, pauseMs);
  }

  /**
   * `$batch` items answered inside one exchange: each spent the host's budget, so pacing learns
   * from them; the window counts exchanges, and that one exchange widened it already.
   */
  spent(now: number, items: number): void {
    for (let i = 0; i < items; i++) this.#answers.record(now);
  }

  /** Any other response. O(1), allocation-free: it is called for every response. */
  succeeded(now: number): void {
    this.#answers.record(now);
    if (this.#window !== UNLIMITED) this.#setWindow(this.#window + 1 / this.#window);
  }

  /** Not paused and not narrowed: an attempt may take the fast path. */
  open(now: number): boolean {
    this.#quiet(now);
    return this.#window === UNLIMITED && this.pausedUntil <= now;
  }

  /** Milliseconds until a request may be handed to fetch: the pause, then the budget. */
  startDelay(now: number): number {
    const paused = this.pausedUntil - now;
    return paused > 0 ? paused : this.pacer.wait(now, this.#answers, this.#inFlight);
  }

  /** A request was handed to fetch. */
  started(): void {
    this.#inFlight++;
  }

  /** An exchange handed to fetch is over: its attempt released its slot, or its 401 is being replayed. */
  ended(): void {
    this.#inFlight--;
  }

  /**
   * QUIET_MS after the last pause, noticed when a request finds the host open: unlimited and unpaced
   * again. Requests already queued stay paced until the queue drains: ending it for them would send
   * them all at once into a fresh round of 429s.
   */
  #quiet(now: number): void {
    if (this.pausedUntil !== 0 && now - this.pausedUntil > QUIET_MS) {
      this.pausedUntil = 0;
      this.#setWindow(UNLIMITED);
      this.pacer.reset();
    }
  }

  #setWindow(window: number): void {
    this.#window = window;
    this.slots.setLimit(Math.floor(window));
  }
}
