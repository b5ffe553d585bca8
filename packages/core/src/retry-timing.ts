// Pure retry timing: how long to wait before the next attempt. No I/O, no clock but the one passed in.

const SECONDS = /^\d+(?:\.\d+)?$/;
// Any number of seconds stays finite (`'9'.repeat(400)` is Infinity as a Number): callers cap it
// with maxRetryAfter, and a huge value still means "not soon" rather than "malformed".
const MAX_MS = Number.MAX_SAFE_INTEGER;

/**
 * Milliseconds to wait according to a `Retry-After` value: delta-seconds or an HTTP date.
 * Never negative, never NaN, always finite; `undefined` when the value is missing or malformed.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (SECONDS.test(text)) return Math.min(Number(text) * 1000, MAX_MS);
  const at = parseHttpDate(text, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}

const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// RFC 9110 §5.6.7. Names and `GMT` are case-sensitive; the weekday is not checked against the date.
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`); // Sun, 06 Nov 1994 08:49:37 GMT
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`); // Sunday, 06-Nov-94 08:49:37 GMT
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`); // Sun Nov  6 08:49:37 1994

/**
 * An HTTP date (IMF-fixdate, or the obsolete RFC 850 and asctime forms) as epoch ms; `undefined`
 * for anything else. Strict where `Date.parse` guesses (it reads `'a 1'` as a day in 2001).
 * `now` places RFC 850's two-digit year: one more than 50 years ahead is in the past century.
 */
export function parseHttpDate(text: string, now: number = Date.now()): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[3]), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  m = RFC850_DATE.exec(text);
  if (m) {
    const thisYear = new Date(now).getUTCFullYear();
    let year = thisYear - (thisYear % 100) + Number(m[3]);
    if (year > thisYear + 50) year -= 100;
    return utc(year, m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  }
  m = ASCTIME_DATE.exec(text);
  if (m) return utc(Number(m[6]), m[1]!, m[2]!.trim(), m[3]!, m[4]!, m[5]!);
  return undefined;
}

function utc(year: number, monthName: string, day: string, hour: string, minute: string, second: string): number | undefined {
  const month = MONTHS.indexOf(monthName);
  const d = Number(day);
  const h = Number(hour);
  const min = Number(minute);
  const s = Number(second);
  // Second 60 is a leap second (RFC 9110 allows it); it reads as the next minute's 00.
  if (d < 1 || d > daysInMonth(year, month) || h > 23 || min > 59 || s > 60) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month, d); // Date.UTC would read years 0-99 as 1900-1999
  date.setUTCHours(h, min, s, 0);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  if (month !== 1) return MONTH_DAYS[month]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** The backoff settings of `backoffDelay` (a RetryPolicy or any object with these two numbers). */
export interface BackoffOptions {
  /** First retry's nominal delay in ms, doubled per retry (graphwire's default 500). */
  backoffBase: number;
  /** Upper bound of any nominal delay in ms (graphwire's default 30,000). */
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
