// Admission of request attempts: a concurrency cap and per-host throttling state (host-gate.ts) when
// an attempt is admitted; `requests_delay` spacing (start-spacing.ts), the host's pause and learned
// budget (budget-pacer.ts) when each exchange is handed to fetch: at the wire, after any token wait.
import { sleepWhile } from './abortable-sleep.js';
import { HostGate } from './host-gate.js';
import { SlotQueue } from './slot-queue.js';
import { StartSpacing } from './start-spacing.js';

const noop = () => undefined;
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
  readonly #spacing: StartSpacing | undefined;
  readonly #now: () => number;
  readonly #slots: SlotQueue;
  readonly #gates = new Map<string, HostGate>();
  readonly #closing = new AbortController();
  readonly #onPause: ((host: string, until: number) => void) | undefined;
  readonly #allowedHosts: ReadonlySet<string> | undefined;
  #closed: Error | undefined;
  readonly #restampSoon = () => this.#spacing?.restampSoon();

  constructor(options: SchedulerOptions) {
    this.#now = options.now ?? Date.now;
    this.#spacing = options.requestsDelay > 0 ? new StartSpacing(options.requestsDelay, this.#now) : undefined;
    this.#slots = new SlotQueue(options.maxConcurrency);
    this.#onPause = options.onPause;
    this.#allowedHosts = options.allowedHosts;
  }

  /** A 429 from `host`: hold new attempts for `ms`, narrow its concurrency, learn its budget. */
  throttled(host: string, ms: number): void {
    const now = this.#now();
    const gate = this.#gate(host);
    gate.refused(now, ms);
    gate.throttled(now + ms, now);
    // Once per change of the pause: the other 429s of one burst, or one within a heard pause, are not news.
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

  /** Any other response from `host`: widens its concurrency; budgets are learned from answers, `items` a $batch call's too. */
  answered(host: string, items?: number): void {
    const gate = this.#gates.get(host);
    if (gate && items === undefined) gate.succeeded(this.#now());
    else if (gate && items) gate.spent(this.#now(), items);
  }

  /** Milliseconds left in the host's pause (0 when not paused). */
  pausedFor(host: string): number {
    return Math.max(0, (this.#gates.get(host)?.pausedUntil ?? 0) - this.#now());
  }

  /** Requests to `host` in flight now, and how many it may have (Infinity when not narrowed). */
  hostWindow(host: string): { active: number; limit: number } {
    const { active, limit } = this.#gate(host).slots;
    return { active, limit };
  }

  /** The budget `host` is paced to (requests per `span` ms), or undefined when it is not paced. */
  hostBudget(host: string): { budget: number; span: number } | undefined {
    const pacer = this.#gates.get(host)?.pacer;
    return pacer && pacer.budget > 0 ? { budget: pacer.budget, span: pacer.span } : undefined;
  }

  /**
   * Takes a slot for one attempt to `host`. Returns `undefined` when the attempt may start at once
   * (the hot path allocates nothing), else a promise that settles when it may. Pair with `release()`.
   */
  admit(host: string, signal: AbortSignal): Promise<void> | undefined {
    if (this.#closed) return Promise.reject(this.#closed);
    const gate = this.#gate(host);
    if (gate.open(this.#now()) && this.#slots.tryTake()) {
      gate.slots.tryTake(); // always succeeds while the gate is open (unlimited, nobody queued)
      return undefined;
    }
    return this.#admitLater(gate, signal);
  }

  /**
   * Called for each HTTP exchange of an admitted attempt right before it is handed to fetch (after
   * any wait for a token; again, as `replay`, for a 401 replay): the start is spaced (requestsDelay),
   * held while the host is paused (a 429 may have come during the token wait), and paced to the
   * host's learned budget. Returns `undefined` when it may go at once: without spacing and for a
   * host never throttled, that is a map lookup, a comparison and a count. The host slot is kept meanwhile.
   */
  dispatch(host: string, signal: AbortSignal, replay = false): Promise<void> | undefined {
    const spacing = this.#spacing;
    const gate = this.#gate(host); // admit() made it
    // The rejected exchange is over: the replay is a start of its own (else it waits on its own place).
    if (replay) gate.ended();
    // Never throttled (or quiet again) and no spacing: nothing to wait for.
    if (!spacing && gate.pausedUntil === 0) {
      gate.started();
      return undefined;
    }
    const now = this.#now();
    if (gate.startDelay(now) === 0 && (!spacing || spacing.wait(now) === 0)) {
      this.#started(gate, now);
      spacing?.restampSoon(); // spaces the next start from the call to fetch (start-spacing.ts)
      return undefined;
    }
    const later = this.#dispatchLater(gate, signal);
    if (spacing) void later.then(this.#restampSoon, noop); // registered before the caller awaits
    return later;
  }

  /** `started`: whether the attempt reached fetch (a dispatch went through), so it counts as ended. */
  release(host: string, started = true): void {
    const gate = this.#gate(host);
    this.#giveBack(gate);
    if (started) gate.ended();
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
    if (gate) return gate;
    this.#gates.set(host, (gate = new HostGate()));
    if (this.#closed) gate.slots.close(this.#closed);
    return gate;
  }

  async #admitLater(gate: HostGate, outer: AbortSignal): Promise<void> {
    const signal = AbortSignal.any([outer, this.#closing.signal]);
    for (;;) {
      await sleepWhile(() => gate.pausedUntil - this.#now(), signal);
      await gate.slots.take(signal);
      try {
        await this.#slots.take(signal);
      } catch (error) {
        gate.slots.release();
        throw error;
      }
      // A 429 came while this attempt queued: slots back (other hosts may use them), wait it out.
      if (gate.pausedUntil <= this.#now()) return;
      this.#giveBack(gate);
    }
  }

  #giveBack(gate: HostGate): void {
    gate.slots.release();
    this.#slots.release();
  }

  async #dispatchLater(gate: HostGate, outer: AbortSignal): Promise<void> {
    const signal = AbortSignal.any([outer, this.#closing.signal]);
    const spacing = this.#spacing;
    for (;;) {
      // The host first (its pause, its budget), then a turn in the connection's spacing: reserved
      // only once the host lets this start go, so a paused host holds up no other host's turns.
      await this.#held(gate, signal);
      // Timers fire late on a busy event loop: never start closer than delay to the previous start.
      if (spacing) await spacing.space(signal);
      // Checked and recorded with no await in between; a 429 that arrived while spacing sends it round again.
      const now = this.#now();
      if (gate.startDelay(now) === 0 && (!spacing || spacing.gap(now) === 0)) {
        this.#started(gate, now);
        return;
      }
    }
  }

  /**
   * Waits out the host's pause and budget, lending a maxConcurrency slot meanwhile (other hosts'
   * requests must not wait behind it); one is taken back, also when aborted, for release() to return.
   */
  async #held(gate: HostGate, signal: AbortSignal): Promise<void> {
    if (gate.startDelay(this.#now()) === 0) return;
    const lend = this.#slots.limit !== Number.POSITIVE_INFINITY;
    if (lend) this.#slots.release();
    try {
      await sleepWhile(() => gate.startDelay(this.#now()), signal);
      if (lend) await this.#slots.take(signal);
    } catch (error) {
      if (lend) this.#slots.forceTake();
      throw error;
    }
  }

  #started(gate: HostGate, now: number): void {
    gate.started();
    this.#spacing?.started(now);
  }
}
