// Connection-wide admission of request attempts: python-o365's `requests_delay` (spacing between
// starts), a concurrency cap, and per-host throttling state after a 429 (host-gate.ts).
import { sleep } from './abortable-sleep.js';
import { HostGate } from './host-gate.js';
import { SlotQueue } from './slot-queue.js';

/** A 429 that extends the published pause by less than this is not published again. */
export const ANNOUNCE_SLACK_MS = 50;

export interface SchedulerOptions {
  requestsDelay: number;
  maxConcurrency: number;
  now?: () => number;
  /** Called when a local 429 starts or extends a host's pause (not for heard pauses): publishes it. */
  onPause?: ((host: string, until: number) => void) | undefined;
  /** Hosts whose heard pauses apply even before this connection has sent them anything. */
  allowedHosts?: ReadonlySet<string>;
}

export class Scheduler {
  readonly #delay: number;
  readonly #now: () => number;
  readonly #slots: SlotQueue;
  readonly #gates = new Map<string, HostGate>();
  readonly #closing = new AbortController();
  readonly #onPause: ((host: string, until: number) => void) | undefined;
  readonly #allowedHosts: ReadonlySet<string> | undefined;
  #nextStart = 0;
  #lastStart = Number.NEGATIVE_INFINITY;
  #closed: Error | undefined;

  constructor(options: SchedulerOptions) {
    this.#delay = options.requestsDelay;
    this.#slots = new SlotQueue(options.maxConcurrency);
    this.#now = options.now ?? Date.now;
    this.#onPause = options.onPause;
    this.#allowedHosts = options.allowedHosts;
  }

  /** A 429 from `host`: hold new attempts for `ms` and narrow its concurrency. */
  throttled(host: string, ms: number): void {
    const now = this.#now();
    const gate = this.#gate(host);
    gate.throttled(now + ms, now);
    // Once per change of the pause: the other 429s of one burst (each a few ms later), or one that
    // ends within a pause heard from a peer, are not news.
    if (this.#onPause && gate.pausedUntil > gate.announced + ANNOUNCE_SLACK_MS) {
      gate.announced = gate.pausedUntil;
      this.#onPause(host, gate.pausedUntil);
    }
  }

  /**
   * A pause another connection published: applied exactly as a local 429 would be (pause and
   * narrowed window), and never published again. Ignored when already over, when not longer than
   * the current pause, and for a host this connection neither knows nor may send the token to.
   */
  heard(host: string, until: number): void {
    const now = this.#now();
    if (until <= now || this.#closed) return;
    const gate = this.#gates.get(host) ?? (this.#allowedHosts?.has(host) ? this.#gate(host) : undefined);
    if (!gate || until <= gate.pausedUntil) return;
    gate.throttled(until, now);
    gate.announced = Math.max(gate.announced, until);
  }

  /** Any other response from `host`: widen its concurrency again. */
  answered(host: string): void {
    this.#gates.get(host)?.succeeded();
  }

  /** Milliseconds left in the host's pause (0 when not paused). */
  pausedFor(host: string): number {
    const gate = this.#gates.get(host);
    return gate ? Math.max(0, gate.pausedUntil - this.#now()) : 0;
  }

  /** Requests to `host` in flight now, and how many it may have (Infinity when not narrowed). */
  hostWindow(host: string): { active: number; limit: number } {
    const { active, limit } = this.#gate(host).slots;
    return { active, limit };
  }

  /**
   * Takes a slot for one attempt to `host`. Returns `undefined` when the attempt may start at once
   * (the hot path allocates nothing), else a promise that settles when it may. Pair with `release()`.
   */
  admit(host: string, signal: AbortSignal): Promise<void> | undefined {
    if (this.#closed) return Promise.reject(this.#closed);
    const gate = this.#gate(host);
    if (this.#delay === 0 && gate.open(this.#now()) && this.#slots.tryTake()) {
      gate.slots.tryTake(); // always succeeds while the gate is open (unlimited, nobody queued)
      return undefined;
    }
    return this.#admitLater(gate, signal);
  }

  /**
   * Called for each HTTP exchange of an admitted attempt right before it is handed to fetch (after
   * any wait for a token, and again for a 401 replay). Returns `undefined` when it may go at once.
   */
  dispatch(_host: string, _signal: AbortSignal): Promise<void> | undefined {
    return undefined;
  }

  release(host: string | HostGate): void {
    (typeof host === 'string' ? this.#gate(host) : host).slots.release();
    this.#slots.release();
  }

  /** Rejects every waiting attempt, pauses and spacing included; in-flight attempts finish. */
  close(reason: Error): void {
    this.#closed = reason;
    this.#closing.abort(reason);
    this.#slots.close(reason);
    for (const gate of this.#gates.values()) gate.slots.close(reason);
  }

  #gate(host: string): HostGate {
    let gate = this.#gates.get(host);
    if (!gate) {
      this.#gates.set(host, (gate = new HostGate()));
      if (this.#closed) gate.slots.close(this.#closed);
    }
    return gate;
  }

  async #admitLater(gate: HostGate, outer: AbortSignal): Promise<void> {
    const signal = AbortSignal.any([outer, this.#closing.signal]);
    for (;;) {
      await this.#pause(gate, signal);
      await gate.slots.take(signal);
      try {
        await this.#slots.take(signal);
      } catch (error) {
        gate.slots.release();
        throw error;
      }
      // A 429 may have arrived while this attempt queued: give the slots back (other hosts may use
      // them) and wait out the new pause.
      if (gate.pausedUntil <= this.#now()) break;
      this.release(gate);
    }
    try {
      await this.#space(signal);
    } catch (error) {
      this.release(gate);
      throw error;
    }
  }

  async #pause(gate: HostGate, signal: AbortSignal): Promise<void> {
    // The pause may be extended by another 429 while we wait, hence the loop.
    for (let wait = gate.pausedUntil - this.#now(); wait > 0; wait = gate.pausedUntil - this.#now()) await sleep(wait, signal);
  }

  async #space(signal: AbortSignal): Promise<void> {
    if (this.#delay === 0) return;
    let now = this.#now();
    const slot = Math.max(now, this.#nextStart);
    this.#nextStart = slot + this.#delay;
    if (slot > now) await sleep(slot - now, signal);
    // Timers fire late on a busy event loop: never start closer than `delay` to the previous start.
    for (now = this.#now(); now < this.#lastStart + this.#delay; now = this.#now()) {
      await sleep(this.#lastStart + this.#delay - now, signal);
    }
    this.#lastStart = now;
    this.#nextStart = Math.max(this.#nextStart, now + this.#delay);
  }
}
