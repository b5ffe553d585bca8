import { describe, expect, it } from 'vitest';
import { GraphError } from '@graphwire/core';

const MB = 1024 * 1024;
const URL_ = 'https://graph.microsoft.com/v1.0/me';

function make(body: unknown, headers: Record<string, string> = {}, extra: { url?: string; method?: string; statusText?: string; maxRetryAfter?: number } = {}) {
  const response = new Response(null, { status: 400, headers, ...(extra.statusText ? { statusText: extra.statusText } : {}) });
  return new GraphError({ method: extra.method ?? 'GET', url: extra.url ?? URL_, response, body, ...(extra.maxRetryAfter === undefined ? {} : { maxRetryAfter: extra.maxRetryAfter }) });
}

/** No lone surrogate (String.prototype.isWellFormed, without needing the ES2024 lib). */
const wellFormed = (text: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

describe('GraphError message bounds', () => {
  it('caps a huge innerError request-id in the message, and keeps it whole on the property', () => {
    const id = 'r'.repeat(MB);
    const e = make({ error: { code: 'BadRequest', message: 'Bad', innerError: { 'request-id': id } } });
    expect(e.message.length).toBeLessThanOrEqual(700);
    expect(e.message).toMatch(/^GET https:\/\/graph\.microsoft\.com\/v1\.0\/me failed: 400 BadRequest: Bad \(request-id r{99}…\)$/);
    expect(e.requestId).toBe(id);
  });

  it('cuts the message before the request-id is appended, so the id still shows', () => {
    const e = make({ error: { code: 'BadRequest', message: 'm'.repeat(MB) } }, { 'request-id': 'rid-1' });
    expect(e.message.length).toBeLessThanOrEqual(700);
    expect(e.message).toMatch(/… \(request-id rid-1\)$/);
    expect((e.body as { error: { message: string } }).error.message).toHaveLength(MB);
  });

  it('caps each piece: code, message, URL, method, status text', () => {
    const code = 'C'.repeat(MB);
    const url = `${URL_}/${'p'.repeat(MB)}`;
    const e = make({ error: { code, message: 'M'.repeat(MB) } }, {}, { url, method: 'G'.repeat(1000) });
    expect(e.message.length).toBeLessThanOrEqual(700);
    // The code does not crowd out the URL's start nor the message: each has its own budget.
    expect(e.message).toContain(`${'G'.repeat(19)}… ${URL_}/ppp`);
    expect(e.message).toMatch(/ C{99}…: M+/);
    expect(e.code).toBe(code);
    expect(e.url).toBe(url);
    const text = make('', {}, { statusText: 'S'.repeat(5000) });
    expect(text.message).toMatch(/ 400 S{99}…$/);
  });

  it('puts no control characters (newlines, escapes) from the server into the message', () => {
    const e = make({ error: { code: 'Bad\nRequest', message: 'line 1\r\nline 2\u001b[31m', innerError: { 'request-id': 'a\nb' } } });
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    expect(e.message).not.toMatch(/[\u0000-\u001f]/);
    expect(e.message).toContain('Bad Request: line 1  line 2 [31m (request-id a b)');
  });

  it('puts no C1 controls, line separators or bidi overrides into the message (they would disguise a log line)', () => {
    const unsafe = ['\u0085', '\u009b', '\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
    const text = unsafe.map((c) => `x${c}`).join('');
    const e = make({ error: { code: `Code${unsafe.join('')}`, message: text, innerError: { 'request-id': `id\u202eevil` } } }, {}, { url: `${URL_}/\u202ereversed` });
    expect(e.message).not.toMatch(/[\u0080-\u009f\u2028-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
    expect(e.message).toContain(`Code${' '.repeat(unsafe.length)}: ${unsafe.map(() => 'x ').join('')}`);
    expect(e.message).toContain('(request-id id evil)');
    expect(e.code).toBe(`Code${unsafe.join('')}`); // the properties keep what was sent
  });

  it('never cuts a character in half: a surrogate pair at the limit is left out whole', () => {
    // 299 characters then emoji: the detail budget (300) would end between its two halves.
    const e = make({ error: { code: 'C', message: `${'m'.repeat(298)}\u{1F600}\u{1F600}` } });
    expect(e.message).toMatch(/: m{298}…$/);
    expect(wellFormed(e.message)).toBe(true);
    // A lone surrogate from the server does not reach the message either.
    const lone = make({ error: { code: 'C', message: 'a\ud800b\udc00c' } });
    expect(lone.message).toContain(': a\ufffdb\ufffdc');
    expect(wellFormed(lone.message)).toBe(true);
  });

  it('falls back to the body request-id when the header is empty', () => {
    expect(make({ error: { innerError: { 'request-id': 'inner' } } }, { 'request-id': '' }).requestId).toBe('inner');
  });
});

describe('GraphError.retryAfterMs', () => {
  it('is finite and within maxRetryAfter', () => {
    expect(make(undefined, { 'retry-after': '9'.repeat(400) }).retryAfterMs).toBe(3_600_000);
    expect(make(undefined, { 'retry-after': '120' }, { maxRetryAfter: 50_000 }).retryAfterMs).toBe(50_000);
    expect(make(undefined, { 'retry-after': '7' }, { maxRetryAfter: 50_000 }).retryAfterMs).toBe(7_000);
    expect(make(undefined, { 'retry-after': 'Sun, 06 Nov 2994 08:49:37 GMT' }).retryAfterMs).toBe(3_600_000);
    expect(make(undefined, { 'retry-after': 'a 1' }).retryAfterMs).toBeUndefined();
    expect(make(undefined, {}).retryAfterMs).toBeUndefined();
  });
});

describe('GraphError.date', () => {
  it('reads the Date header strictly, as an HTTP date', () => {
    expect(make(undefined, { date: 'Sun, 06 Nov 1994 08:49:37 GMT' }).date?.toISOString()).toBe('1994-11-06T08:49:37.000Z');
    expect(make(undefined, { date: 'Sunday, 06-Nov-94 08:49:37 GMT' }).date?.toISOString()).toBe('1994-11-06T08:49:37.000Z');
    // Date.parse guesses at these: `a 1` as a day in 2001, a date with no zone in local time.
    for (const date of ['a 1', '1', '2026-11-28', 'Sat, 28 Nov 2026 10:00:00', 'Sat, 31 Feb 2026 10:00:00 GMT', 'tomorrow']) {
      expect(make(undefined, { date }).date, date).toBeUndefined();
    }
  });

  it("reads innerError.date strictly, as ISO 8601 in UTC when it names no zone (Graph's form)", () => {
    const at = (date: unknown, headers: Record<string, string> = {}) => make({ error: { innerError: { date } } }, headers).date?.toISOString();
    expect(at('2026-11-28T10:00:00')).toBe('2026-11-28T10:00:00.000Z');
    expect(at('2026-11-28T10:00:00.1234567Z')).toBe('2026-11-28T10:00:00.123Z');
    expect(at('2026-11-28T10:00:00+02:00')).toBe('2026-11-28T08:00:00.000Z');
    expect(at('2026-11-28T10:00:00-05:30')).toBe('2026-11-28T15:30:00.000Z');
    for (const date of ['2026-02-31T10:00:00', '2026-13-01T00:00:00', '2026-11-28T24:00:00', '2026-11-28', '1', 'a 1', 'Sat, 28 Nov 2026 10:00:00 GMT', 17]) {
      expect(at(date), String(date)).toBeUndefined();
    }
    // The header wins; a malformed header does not hide the body's date.
    expect(at('2026-11-28T10:00:00', { date: 'Sun, 06 Nov 1994 08:49:37 GMT' })).toBe('1994-11-06T08:49:37.000Z');
    expect(at('2026-11-28T10:00:00', { date: 'garbage' })).toBe('2026-11-28T10:00:00.000Z');
  });
});
