// What a 429 changes for one host. First, a pause until Retry-After for every request on the
// connection. Then a concurrency window (additive increase, multiplicative decrease, as TCP does):
// it starts at half of what was in flight and widens by one per window of answers, so the requests
// that queued during the pause go out gradually instead of rushing into a fresh round of 429s, and
// a concurrency-based limit (Outlook allows 4 requests per mailbox) is found instead of hammered.
// After QUIET_MS without a 429 the host is unlimited again.
import { SlotQueue } from './slot-queue.js';

const UNLIMITED = Number.POSITIVE_INFINITY;
export const QUIET_MS = 30_000;

export class HostGate {
  pausedUntil = 0;
  /** The latest `until` published to or heard from a throttle channel: what the peers already know. */
  announced = 0;
  readonly slots = new SlotQueue(UNLIMITED);
  #window = UNLIMITED;

  /** Called after the throttled attempt released its slot. */
  throttled(until: number, now: number): void {
    // 429s from requests already in flight when the first one arrived belong to the same episode:
    // narrowing again for each would collapse the window to 1.
    const newEpisode = this.pausedUntil <= now;
    if (until > this.pausedUntil) this.pausedUntil = until;
    if (!newEpisode) return;
    const inFlight = this.slots.active + 1;
    this.#setWindow(Math.max(1, Math.floor(Math.min(inFlight, this.#window) / 2)));
  }

  succeeded(): void {
    if (this.#window !== UNLIMITED) this.#setWindow(this.#window + 1 / this.#window);
  }

  /** Not paused and not narrowed: an attempt may take the fast path. */
  open(now: number): boolean {
    if (this.#window !== UNLIMITED && now - this.pausedUntil > QUIET_MS) this.#setWindow(UNLIMITED);
    return this.#window === UNLIMITED && this.pausedUntil <= now;
  }

  #setWindow(window: number): void {
    this.#window = window;
    this.slots.setLimit(Math.floor(window));
  }
}
