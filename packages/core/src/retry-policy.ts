// Pure retry decisions: which outcomes may be retried without risking a duplicated side effect.
import isNetworkError from 'is-network-error';
import { TimeoutError } from 'ky';
import { type OptionRule, type OptionRules, isPlainObject, rules, validateOptions } from './option-rules.js';
import { backoffDelay } from './retry-timing.js';

/**
 * The `retries` option of a Connection, or `retry` of one request: which failures are retried, and
 * how long to wait. Omitted keys keep the connection's values (for a Connection: the defaults).
 * A POST or PATCH is retried only where the server did not process it, whatever `statusCodes` says.
 */
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

/**
 * A fetch refusing a redirect because the request said `redirect: 'error'`: final, not a network
 * failure (a retry meets the same redirect, or a one-off one is silently followed by a success).
 * Node says so in the TypeError's `cause` ("unexpected redirect"); a browser's bare TypeError (no
 * cause at all) cannot be told from a network failure, and with `redirect: 'error'` is taken as the refusal.
 */
export function isRedirectRefusal(request: { redirect?: string }, error: unknown): boolean {
  if (request.redirect !== 'error') return false;
  let current: unknown = error;
  let innermost: unknown;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if ((current as { message?: unknown }).message === 'unexpected redirect') return true;
    innermost = current;
    current = (current as { cause?: unknown }).cause;
  }
  return innermost instanceof TypeError && current === undefined;
}

/** The backoff before retrying a failed exchange, or undefined when the failure is final. */
export function errorRetryDelay(request: Request, error: unknown, attempt: number, policy: RetryPolicy): number | undefined {
  if (request.signal.aborted) return undefined; // the caller's abort, or ky's totalTimeout
  if (error instanceof TimeoutError) return policy.retryOnTimeout && isIdempotent(request.method) ? backoffDelay(attempt, policy) : undefined;
  if (!isNetworkError(error) || isRedirectRefusal(request, error) || !isRetryableNetworkError(request.method, error)) return undefined;
  return backoffDelay(attempt, policy);
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

const statusList = (value: unknown) =>
  Array.isArray(value) && value.every((s) => Number.isInteger(s) && s >= 100 && s <= 599);
const LIMIT: OptionRule = { expected: 'a whole number from 0 to 100', test: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100 };
const STATUSES: OptionRule = { expected: 'an array of HTTP status codes (100 to 599)', test: statusList };

/** The keys of RetryOptions. Delays are capped at the largest one setTimeout honours (above, it fires at once). */
export const RETRY_OPTION_RULES: OptionRules = {
  limit: LIMIT,
  statusCodes: STATUSES,
  afterStatusCodes: STATUSES,
  maxRetryAfter: rules.milliseconds,
  backoffBase: rules.milliseconds,
  backoffLimit: rules.milliseconds,
  retryOnTimeout: rules.boolean,
};

/** `retries` / `retry`: a limit, or RetryOptions whose keys are checked too (`{ limt: 0 }` is refused). */
export const RETRY_RULE: OptionRule = {
  expected: 'a retry limit (a whole number from 0 to 100) or a RetryOptions object',
  test: (v) => LIMIT.test(v) || isPlainObject(v),
  keys: RETRY_OPTION_RULES,
};

/**
 * Validates `retries` (a limit, or RetryOptions) and fills it from `base`. `name` and `owner` word
 * the message: `[@graphwire/core] Connection: unknown option 'retries.limt' (did you mean 'retries.limit'?)`.
 */
export function resolveRetry(input: number | RetryOptions | undefined, base: RetryPolicy, name = 'retries', owner = 'Connection'): RetryPolicy {
  if (input === undefined) return base;
  validateOptions('@graphwire/core', owner, { [name]: input }, { [name]: RETRY_RULE });
  if (typeof input === 'number') return { ...base, limit: input };
  const { limit, statusCodes, afterStatusCodes, maxRetryAfter, backoffBase, backoffLimit, retryOnTimeout } = input;
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
