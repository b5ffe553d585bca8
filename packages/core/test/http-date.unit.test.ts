import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseRetryAfter } from '../src/retry-timing.js';

const NOV_6_1994 = Date.UTC(1994, 10, 6, 8, 49, 37);
const NOW = Date.UTC(2026, 10, 28, 10, 0, 0);

describe('parseHttpDate', () => {
  it('reads the three forms of RFC 9110', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(NOV_6_1994); // IMF-fixdate
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(NOV_6_1994); // obsolete RFC 850
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', NOW)).toBe(NOV_6_1994); // asctime, day padded with a space
    expect(parseHttpDate('Sun Nov 16 08:49:37 1994', NOW)).toBe(Date.UTC(1994, 10, 16, 8, 49, 37));
    expect(parseHttpDate(new Date(NOW).toUTCString(), NOW)).toBe(NOW);
  });

  it("places RFC 850's two-digit year within 50 years of now", () => {
    expect(parseHttpDate('Saturday, 28-Nov-26 10:00:30 GMT', NOW)).toBe(NOW + 30_000);
    expect(parseHttpDate('Thursday, 01-Jan-76 00:00:00 GMT', NOW)).toBe(Date.UTC(2076, 0, 1)); // 50 years ahead: still this century
    expect(parseHttpDate('Friday, 01-Jan-77 00:00:00 GMT', NOW)).toBe(Date.UTC(1977, 0, 1)); // more: the past one
  });

  it('accepts a leap day in a leap year and a leap second', () => {
    expect(parseHttpDate('Thu, 29 Feb 2024 00:00:00 GMT', NOW)).toBe(Date.UTC(2024, 1, 29));
    expect(parseHttpDate('Sat, 29 Feb 2000 00:00:00 GMT', NOW)).toBe(Date.UTC(2000, 1, 29));
    expect(parseHttpDate('Wed, 31 Dec 2025 23:59:60 GMT', NOW)).toBe(Date.UTC(2026, 0, 1));
  });

  it('reads four-digit years below 100 as written, not as 19xx', () => {
    expect(new Date(parseHttpDate('Mon, 01 Jan 0050 00:00:00 GMT', NOW)!).getUTCFullYear()).toBe(50);
  });

  it('refuses invalid day and month names, and any other case or spacing', () => {
    for (const value of [
      'Sux, 06 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nox 1994 08:49:37 GMT',
      'sun, 06 nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49:37 gmt',
      'Sun, 06 Nov 1994 08:49:37 UTC',
      'Sun, 06 Nov 1994 08:49:37 +0000',
      'Sun,  06 Nov 1994 08:49:37 GMT',
      'Sun 06 Nov 1994 08:49:37 GMT',
      'Sun, 6 Nov 1994 08:49:37 GMT',
      'Sunday, 06 Nov 1994 08:49:37 GMT', // long day name in IMF-fixdate
      'Sun, 06-Nov-94 08:49:37 GMT', // short day name in RFC 850
      'Funday, 06-Nov-94 08:49:37 GMT',
      'Sunday, 06-Nov-1994 08:49:37 GMT',
      'Sun Nov 6 08:49:37 1994', // asctime pads the day with a space
      'Sun Nov  6 08:49:37 1994 GMT',
      'Sun Xyz  6 08:49:37 1994',
      '1994-11-06T08:49:37Z',
      'Sun, 06 Nov 1994',
    ]) {
      expect(parseHttpDate(value, NOW), value).toBeUndefined();
    }
  });

  it('refuses out-of-range fields', () => {
    for (const value of [
      'Sun, 00 Nov 1994 08:49:37 GMT',
      'Sun, 31 Nov 1994 08:49:37 GMT',
      'Sun, 32 Dec 1994 08:49:37 GMT',
      'Sun, 29 Feb 2023 08:49:37 GMT',
      'Sun, 29 Feb 1900 08:49:37 GMT',
      'Sun, 06 Nov 1994 24:00:00 GMT',
      'Sun, 06 Nov 1994 08:60:37 GMT',
      'Sun, 06 Nov 1994 08:49:61 GMT',
      'Sunday, 31-Apr-94 08:49:37 GMT',
      'Sun Nov 31 08:49:37 1994',
      'Sun Nov  0 08:49:37 1994',
    ]) {
      expect(parseHttpDate(value, NOW), value).toBeUndefined();
    }
  });

  it('refuses the garbage Date.parse accepts', () => {
    for (const value of ['a 1', 'x 2', 'May 1', 'Sat 28', '1', '-5', '1e3', '', ' ', 'soon', 'Tue Nov 28 2026', 'Sat, 28 Nov 2026']) {
      expect(parseHttpDate(value, NOW), value).toBeUndefined();
    }
    expect(Date.parse('a 1')).not.toBeNaN(); // what this parser exists to avoid
  });
});

describe('parseRetryAfter over the strict parser', () => {
  it('reads each HTTP date form relative to now, never negative', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Saturday, 28-Nov-26 10:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sat Nov 28 10:00:30 2026', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
  });

  it('returns undefined for garbage, bad signs, exponents and hex', () => {
    for (const value of ['a 1', 'x 2', 'May 1', '-5', '+5', '1e3', '0x10', '', ' ', '5 s', 'Infinity', 'NaN', '1.', '.5']) {
      expect(parseRetryAfter(value, NOW), value).toBeUndefined();
    }
  });

  it('keeps huge numbers of seconds finite (callers cap them with maxRetryAfter)', () => {
    for (const value of ['9'.repeat(20), '9'.repeat(400), `${'9'.repeat(400)}.5`]) {
      const ms = parseRetryAfter(value, NOW);
      expect(Number.isFinite(ms), value).toBe(true);
      expect(ms).toBeGreaterThan(3_600_000 * 24 * 365);
    }
  });
});
