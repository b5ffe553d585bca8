import { describe, expect, it } from 'vitest';
import { backoffDelay, retryDelay, parseRetryAfter } from '../src/retry-timing.js';

const NOW = Date.parse('2026-11-28T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds, including decimals and whitespace', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter(' 2.5 ', NOW)).toBe(2500);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 09:00:00 GMT', NOW)).toBe(0);
  });

  it('returns undefined for missing or malformed values, never NaN or a negative', () => {
    for (const value of [null, undefined, '', ' ', '-5', 'soon', 'NaN', 'Infinity', '1e3', '0x10', 'Sat, 99 Foo 2026', '12abc']) {
      expect(parseRetryAfter(value, NOW), String(value)).toBeUndefined();
    }
    const garbage = Array.from({ length: 500 }, (_, i) => String.fromCharCode(...Array.from({ length: i % 12 }, (_, j) => 32 + ((i * 31 + j * 7) % 95))));
    for (const value of garbage) {
      const ms = parseRetryAfter(value, NOW);
      if (ms !== undefined) {
        expect(Number.isFinite(ms)).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('backoffDelay', () => {
  const options = { backoffBase: 500, backoffLimit: 30_000 };

  it('doubles per retry with half of it jittered', () => {
    expect(backoffDelay(1, options, () => 0)).toBe(250);
    expect(backoffDelay(1, options, () => 1)).toBe(500);
    expect(backoffDelay(3, options, () => 0)).toBe(1000);
    expect(backoffDelay(3, options, () => 1)).toBe(2000);
  });

  it('is capped by backoffLimit', () => {
    expect(backoffDelay(30, options, () => 1)).toBe(30_000);
    expect(backoffDelay(30, options, () => 0)).toBe(15_000);
  });

  it('spreads concurrent retries instead of synchronising them', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(2, options)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('retryDelay', () => {
  const options = { backoffBase: 500, backoffLimit: 30_000, maxRetryAfter: 60_000 };

  it('prefers the server Retry-After and clamps it', () => {
    expect(retryDelay(1, 3000, options)).toBe(3000);
    expect(retryDelay(1, 10_000_000, options)).toBe(60_000);
    expect(retryDelay(1, 0, options)).toBe(0);
  });

  it('falls back to backoff without Retry-After', () => {
    expect(retryDelay(2, undefined, options, () => 1)).toBe(1000);
  });
});
