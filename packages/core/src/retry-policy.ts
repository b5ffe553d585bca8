// Pure retry decisions: which outcomes may be retried without risking a duplicated side effect.
import { configError } from './errors/config-error.js';

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  limit?: number;
  /** Statuses that may be retried. Default [429, 500, 502, 503, 504]. */
  statusCodes?: number[];
  /** Statuses whose Retry-After header is honoured. Default [429, 503]. */
  afterStatusCodes?: number[];
  /** Upper bound for a Retry-After wait, in ms. Default 3,600,000. */
  maxRetryAfter?: number;
  /** First backoff delay in ms (doubled per retry, with jitter). Default 500. */
  backoffBase?: number;
  /** Upper bound of a backoff delay in ms. Default 30,000. */
  backoffLimit?: number;
  /** Retry idempotent requests after a per-attempt timeout. Default false. */
  retryOnTimeout?: boolean;
}

export interface RetryPolicy {
  limit: number;
  statusCodes: ReadonlySet<number>;
  afterStatusCodes: ReadonlySet<number>;
  maxRetryAfter: number;
  backoffBase: number;
  backoffLimit: number;
  retryOnTimeout: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  limit: 3,
  statusCodes: new Set([429, 500, 502, 503, 504]),
  afterStatusCodes: new Set([429, 503]),
  maxRetryAfter: 3_600_000,
  backoffBase: 500,
  backoffLimit: 30_000,
  retryOnTimeout: false,
});

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method);
}

/**
 * May this response be retried? A POST or PATCH is retried only when the server said it did not
 * process it: 429 always, 503 only with Retry-After (Graph's "come back later").
 */
export function isRetryableStatus(method: string, status: number, hasRetryAfter: boolean, policy: RetryPolicy): boolean {
  if (!policy.statusCodes.has(status)) return false;
  if (IDEMPOTENT.has(method)) return true;
  return status === 429 || (status === 503 && hasRetryAfter);
}

/** A failed connection is retried for idempotent methods; others only if it was never accepted. */
export function isRetryableNetworkError(method: string, error: unknown): boolean {
  return IDEMPOTENT.has(method) || socketErrorCode(error) === 'ECONNREFUSED';
}

/** Node reports the socket error (ECONNREFUSED, ECONNRESET…) a few `cause` levels below fetch's TypeError; browsers do not say. */
export function socketErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

// Capped at the largest delay setTimeout honours; anything above would fire at once.
const nonNegative = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 2_147_483_647;
const statusList = (value: unknown) =>
  Array.isArray(value) && value.every((s) => Number.isInteger(s) && s >= 100 && s <= 599);

/** Validates `retries` (a limit, or RetryOptions) and fills it from `base`. */
export function resolveRetry(input: number | RetryOptions | undefined, base: RetryPolicy, name = 'retries'): RetryPolicy {
  if (input === undefined) return base;
  if (typeof input === 'number') input = { limit: input };
  if (typeof input !== 'object' || input === null) {
    throw configError(`${name} must be a number or a RetryOptions object`);
  }
  const { limit, statusCodes, afterStatusCodes, maxRetryAfter, backoffBase, backoffLimit, retryOnTimeout } = input;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0 && limit <= 100)) {
    throw configError(`${name}.limit must be a whole number from 0 to 100`);
  }
  for (const [key, value] of Object.entries({ statusCodes, afterStatusCodes })) {
    if (value !== undefined && !statusList(value)) throw configError(`${name}.${key} must be an array of HTTP status codes`);
  }
  for (const [key, value] of Object.entries({ maxRetryAfter, backoffBase, backoffLimit })) {
    if (value !== undefined && !nonNegative(value)) throw configError(`${name}.${key} must be a number of milliseconds from 0 to 2147483647`);
  }
  if (retryOnTimeout !== undefined && typeof retryOnTimeout !== 'boolean') {
    throw configError(`${name}.retryOnTimeout must be a boolean`);
  }
  return {
    limit: limit ?? base.limit,
    statusCodes: statusCodes ? new Set(statusCodes) : base.statusCodes,
    afterStatusCodes: afterStatusCodes ? new Set(afterStatusCodes) : base.afterStatusCodes,
    maxRetryAfter: maxRetryAfter ?? base.maxRetryAfter,
    backoffBase: backoffBase ?? base.backoffBase,
    backoffLimit: backoffLimit ?? base.backoffLimit,
    retryOnTimeout: retryOnTimeout ?? base.retryOnTimeout,
  };
}
