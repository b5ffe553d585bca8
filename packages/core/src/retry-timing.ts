// Pure retry timing: how long to wait before the next attempt. No I/O, no clock but the one passed in.

const SECONDS = /^\d+(?:\.\d+)?$/;

/**
 * Milliseconds to wait according to a `Retry-After` value: delta-seconds or an HTTP date.
 * Never negative, never NaN; `undefined` when the value is missing or malformed.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (SECONDS.test(text)) {
    const ms = Number(text) * 1000;
    return Number.isFinite(ms) ? ms : undefined;
  }
  // A date must name a weekday or month to avoid Date.parse accepting bare numbers like "-5".
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export interface BackoffOptions {
  /** First retry's nominal delay. */
  backoffBase: number;
  /** Upper bound of any computed backoff. */
  backoffLimit: number;
}

/**
 * Exponential backoff with "equal jitter": half the nominal delay is fixed, half random, so
 * retries spread out without ever collapsing to zero. `retry` counts from 1.
 */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const nominal = Math.min(options.backoffLimit, options.backoffBase * 2 ** Math.max(0, retry - 1));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}

/** The wait before retry number `retry`: the server's Retry-After (clamped) when given, else backoff. */
export function retryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions & { maxRetryAfter: number },
  random?: () => number,
): number {
  return retryAfterMs === undefined
    ? backoffDelay(retry, options, random)
    : Math.min(options.maxRetryAfter, retryAfterMs);
}
