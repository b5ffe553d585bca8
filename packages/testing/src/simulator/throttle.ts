import { errorResponse, type SimResponse } from './sim-response.js';

/**
 * The simulator's `throttle` option: a fixed-window budget of requests per bearer token (per client
 * IP for requests without one). A window starts at a key's first request after the previous
 * window ended; past `limit`, requests get 429 `TooManyRequests` with `Retry-After` and are not
 * executed, and refused requests spend no budget. Each `$batch` item spends one unit of its
 * batch's token too. Checked strictly, like the other options; `limit` is required.
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
}

interface Window {
  start: number;
  count: number;
}

/** A fixed-window request budget per key (a token, or a client IP). Rejected requests spend no budget. */
export class Throttle {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #retryAfterSeconds: number;
  readonly #format: 'seconds' | 'date';

  constructor(options: ThrottleOptions) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs ?? 1000;
    this.#retryAfterSeconds = options.retryAfterSeconds ?? 1;
    this.#format = options.retryAfterFormat ?? 'seconds';
  }

  /** Undefined when the request is admitted, else the 429 to send. */
  admit(key: string, now = Date.now()): SimResponse | undefined {
    let window = this.#windows.get(key);
    if (!window || now - window.start >= this.#windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    if (window.count < this.#limit) {
      window.count++;
      return undefined;
    }
    return errorResponse(429, 'TooManyRequests', 'Too many requests.', { 'retry-after': this.#retryAfter(now) });
  }

  reset(): void {
    this.#windows.clear();
  }

  #retryAfter(now: number): string {
    if (this.#format === 'seconds') return String(this.#retryAfterSeconds);
    // HTTP dates have whole seconds: round up so a client honouring it never comes back early.
    return new Date(Math.ceil((now + this.#retryAfterSeconds * 1000) / 1000) * 1000).toUTCString();
  }
}
