import { errorResponse, type SimResponse } from './sim-response.js';

/**
 * The simulator's `throttle` option: a budget of requests per bearer token (per client IP for
 * requests without one). By default a fixed window: it starts at a key's first request after the
 * previous window ended. With `sliding: true`, at most `limit` requests are admitted in any
 * `windowMs` (a request is admitted when fewer than `limit` were admitted in the `windowMs` before
 * it), as rate limiters that keep a log of request times do. Past `limit`, requests get 429
 * `TooManyRequests` with `Retry-After` and are not executed, and refused requests spend no budget.
 * Each `$batch` item spends one unit of its batch's token too. Checked strictly, like the other
 * options; `limit` is required.
 */
export interface ThrottleOptions {
  /** Requests admitted per key per window (required); `0` throttles every request. */
  limit: number;
  /** Window length in milliseconds; default `1000`. */
  windowMs?: number;
  /** Seconds to wait, sent as `Retry-After` with each 429; default `1`. */
  retryAfterSeconds?: number;
  /**
   * How `Retry-After` is written: `'seconds'` (default) sends `retryAfterSeconds` as a number;
   * `'date'` sends the HTTP date that many seconds from now, rounded up to a whole second.
   */
  retryAfterFormat?: 'seconds' | 'date';
  /** `true`: a sliding window (at most `limit` in any `windowMs`) instead of fixed windows; default `false`. */
  sliding?: boolean;
}

/** What one key has spent: the fixed window's start and count, or the sliding window's admission times. */
interface Budget {
  start: number;
  count: number;
  /** Sliding mode: times of the admitted requests, oldest first, from index `start` on. */
  times: number[];
}

/** A request budget per key (a token, or a client IP). Rejected requests spend no budget. */
export class Throttle {
  readonly #budgets = new Map<string, Budget>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #retryAfterSeconds: number;
  readonly #format: 'seconds' | 'date';
  readonly #sliding: boolean;

  constructor(options: ThrottleOptions) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs ?? 1000;
    this.#retryAfterSeconds = options.retryAfterSeconds ?? 1;
    this.#format = options.retryAfterFormat ?? 'seconds';
    this.#sliding = options.sliding ?? false;
  }

  /** Undefined when the request is admitted, else the 429 to send. */
  admit(key: string, now = Date.now()): SimResponse | undefined {
    let budget = this.#budgets.get(key);
    if (!budget) this.#budgets.set(key, (budget = { start: now, count: 0, times: [] }));
    if (this.#sliding ? this.#slidingAdmit(budget, now) : this.#fixedAdmit(budget, now)) return undefined;
    return errorResponse(429, 'TooManyRequests', 'Too many requests.', { 'retry-after': this.#retryAfter(now) });
  }

  reset(): void {
    this.#budgets.clear();
  }

  #fixedAdmit(budget: Budget, now: number): boolean {
    if (now - budget.start >= this.#windowMs) {
      budget.start = now;
      budget.count = 0;
    }
    if (budget.count >= this.#limit) return false;
    budget.count++;
    return true;
  }

  #slidingAdmit(budget: Budget, now: number): boolean {
    const { times } = budget;
    // An admission exactly `windowMs` ago has left the window (as in the fixed window's `>=`).
    while (budget.start < times.length && times[budget.start]! <= now - this.#windowMs) budget.start++;
    // Drop the expired prefix now and then instead of shifting on every request.
    if (budget.start > 1024 && budget.start * 2 > times.length) {
      times.splice(0, budget.start);
      budget.start = 0;
    }
    if (times.length - budget.start >= this.#limit) return false;
    times.push(now);
    return true;
  }

  #retryAfter(now: number): string {
    if (this.#format === 'seconds') return String(this.#retryAfterSeconds);
    // HTTP dates have whole seconds: round up so a client honouring it never comes back early.
    return new Date(Math.ceil((now + this.#retryAfterSeconds * 1000) / 1000) * 1000).toUTCString();
  }
}
