import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, isRedirectRefusal, isRetryableNetworkError, isRetryableStatus, resolveRetry } from '../src/retry-policy.js';

describe('isRetryableStatus', () => {
  it('retries the default statuses for idempotent methods', () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'HEAD']) {
      for (const status of [429, 500, 502, 503, 504]) expect(isRetryableStatus(method, status, false, DEFAULT_RETRY)).toBe(true);
      for (const status of [400, 401, 403, 404, 409, 413]) expect(isRetryableStatus(method, status, true, DEFAULT_RETRY)).toBe(false);
    }
  });

  it('retries POST and PATCH only where the server did not process the request', () => {
    for (const method of ['POST', 'PATCH']) {
      expect(isRetryableStatus(method, 429, false, DEFAULT_RETRY)).toBe(true);
      expect(isRetryableStatus(method, 503, true, DEFAULT_RETRY)).toBe(true);
      expect(isRetryableStatus(method, 503, false, DEFAULT_RETRY)).toBe(false);
      expect(isRetryableStatus(method, 500, true, DEFAULT_RETRY)).toBe(false);
      expect(isRetryableStatus(method, 502, false, DEFAULT_RETRY)).toBe(false);
      expect(isRetryableStatus(method, 504, false, DEFAULT_RETRY)).toBe(false);
    }
  });

  it('honours a custom status list', () => {
    const policy = resolveRetry({ statusCodes: [503] }, DEFAULT_RETRY);
    expect(isRetryableStatus('GET', 500, false, policy)).toBe(false);
    expect(isRetryableStatus('GET', 503, false, policy)).toBe(true);
  });
});

describe('isRetryableNetworkError', () => {
  const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
  const wrapped = new Error('ky network error', { cause: refused });

  it('retries any network failure of an idempotent request', () => {
    expect(isRetryableNetworkError('GET', reset)).toBe(true);
  });

  it('retries POST only when the connection was refused', () => {
    expect(isRetryableNetworkError('POST', wrapped)).toBe(true);
    expect(isRetryableNetworkError('POST', reset)).toBe(false);
    expect(isRetryableNetworkError('PATCH', new TypeError('Failed to fetch'))).toBe(false);
  });
});

describe('resolveRetry', () => {
  it('keeps the documented defaults', () => {
    expect(DEFAULT_RETRY.limit).toBe(3);
    expect([...DEFAULT_RETRY.statusCodes]).toEqual([429, 500, 502, 503, 504]);
    expect([...DEFAULT_RETRY.afterStatusCodes]).toEqual([429, 503]);
    expect(DEFAULT_RETRY.maxRetryAfter).toBe(3_600_000);
  });

  it('accepts a bare limit', () => {
    expect(resolveRetry(0, DEFAULT_RETRY).limit).toBe(0);
    expect(resolveRetry(5, DEFAULT_RETRY).statusCodes).toBe(DEFAULT_RETRY.statusCodes);
  });

  it.each([
    [-1, "option 'retries' must be a retry limit (a whole number from 0 to 100) or a RetryOptions object (got -1)"],
    [1.5, "option 'retries' must be a retry limit (a whole number from 0 to 100) or a RetryOptions object (got 1.5)"],
    ['3', "option 'retries' must be a retry limit (a whole number from 0 to 100) or a RetryOptions object (got a string of 1 character)"],
    [{ limit: 101 }, "option 'retries.limit' must be a whole number from 0 to 100 (got 101)"],
    [{ statusCodes: [429, 'x'] }, "option 'retries.statusCodes' must be an array of HTTP status codes (100 to 599) (got an array of 2)"],
    [{ maxRetryAfter: -1 }, "option 'retries.maxRetryAfter' must be a number of milliseconds from 0 to 2147483647 (got -1)"],
    [{ backoffBase: Number.NaN }, "option 'retries.backoffBase' must be a number of milliseconds from 0 to 2147483647 (got NaN)"],
    [{ retryOnTimeout: 'yes' }, "option 'retries.retryOnTimeout' must be true or false (got a string of 3 characters)"],
  ])('rejects %j with a message naming the option', (input, message) => {
    expect(() => resolveRetry(input as never, DEFAULT_RETRY)).toThrow(TypeError);
    expect(() => resolveRetry(input as never, DEFAULT_RETRY)).toThrow(`[@graphwire/core] Connection: ${message}`);
  });

  it.each([
    [{ limt: 0 }, "unknown option 'retries.limt' (did you mean 'retries.limit'?); known options of 'retries': limit, statusCodes, afterStatusCodes, maxRetryAfter, backoffBase, backoffLimit, retryOnTimeout"],
    [{ backoffbase: 1 }, "unknown option 'retries.backoffbase' (did you mean 'retries.backoffBase'?)"],
    [{ methods: ['get'] }, "unknown option 'retries.methods'"], // a ky retry option graphwire does not take
    [[0], "option 'retries' must be a retry limit (a whole number from 0 to 100) or a RetryOptions object (got an array of 1)"],
    [new Map([['limit', 0]]), "option 'retries' must be a retry limit (a whole number from 0 to 100) or a RetryOptions object (got an object (Map))"],
  ])('refuses unknown keys and non-plain objects: %j', (input, message) => {
    expect(() => resolveRetry(input as never, DEFAULT_RETRY)).toThrow(`[@graphwire/core] Connection: ${message}`);
  });

  it("names a request's own `retry` as such", () => {
    expect(() => resolveRetry({ limt: 0 } as never, DEFAULT_RETRY, 'retry', 'request'))
      .toThrow("[@graphwire/core] request: unknown option 'retry.limt' (did you mean 'retry.limit'?)");
  });
});

describe('isRedirectRefusal', () => {
  const nodeRefusal = new Error('ky network error', { cause: new TypeError('fetch failed', { cause: new Error('unexpected redirect') }) });
  const reset = new Error('ky network error', { cause: new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }) });
  const browser = new Error('ky network error', { cause: new TypeError('Failed to fetch') });

  it("is the refusal of a redirect under redirect: 'error', never a network failure", () => {
    expect(isRedirectRefusal({ redirect: 'error' }, nodeRefusal)).toBe(true);
    expect(isRedirectRefusal({ redirect: 'error' }, browser)).toBe(true); // indistinguishable: taken as the refusal
    expect(isRedirectRefusal({ redirect: 'error' }, reset)).toBe(false); // a real failure is still retried
    expect(isRedirectRefusal({ redirect: 'follow' }, nodeRefusal)).toBe(false);
    expect(isRedirectRefusal({ redirect: 'follow' }, browser)).toBe(false);
  });
});
