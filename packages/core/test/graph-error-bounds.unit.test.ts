import { describe, expect, it } from 'vitest';
import { GraphError } from '@graphwire/core';

const MB = 1024 * 1024;
const URL_ = 'https://graph.microsoft.com/v1.0/me';

function make(body: unknown, headers: Record<string, string> = {}, extra: { url?: string; method?: string; statusText?: string; maxRetryAfter?: number } = {}) {
  const response = new Response(null, { status: 400, headers, ...(extra.statusText ? { statusText: extra.statusText } : {}) });
  return new GraphError({ method: extra.method ?? 'GET', url: extra.url ?? URL_, response, body, ...(extra.maxRetryAfter === undefined ? {} : { maxRetryAfter: extra.maxRetryAfter }) });
}

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
    expect(e.message).not.toMatch(/[\u0000-\u001f]/);
    expect(e.message).toContain('Bad Request: line 1  line 2 [31m (request-id a b)');
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
