// Errors stay short and clean whatever the server sends, and a URL with a password in it is refused
// by graphwire before fetch sees it.
import { describe, expect, it } from 'vitest';
import { Connection, StaticTokenSession, isGraphError, type GraphError } from '@graphwire/core';
import { connect, simulator } from './support.js';

const MB = 1024 * 1024;

describe('GraphError over the wire', () => {
  it('keeps the message short when the body holds a 1 MB request-id (and no header has one)', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const id = 'r'.repeat(MB);
    const body = JSON.stringify({ error: { code: 'BadRequest', message: 'Invalid request', innerError: { 'request-id': id } } });
    graph.script('GET /v1.0/me', [{ status: 400, body, contentType: 'application/json', headers: { 'request-id': '' } }]);
    const error = (await con.get('me').catch((e: unknown) => e)) as GraphError;
    expect(isGraphError(error)).toBe(true);
    expect(error.message.length).toBeLessThanOrEqual(700);
    expect(error.message).toContain('failed: 400 BadRequest: Invalid request (request-id rrrr');
    expect(error.requestId).toBe(id);
    expect(JSON.stringify(error.body)).toBe(body);
  });

  it("bounds retryAfterMs by the connection's maxRetryAfter, and by a request's own", async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { limit: 0, maxRetryAfter: 1_000 } });
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 3_600 }, { status: 503, retryAfter: '9'.repeat(400) }]);
    const throttled = (await con.get('me').catch((e: unknown) => e)) as GraphError;
    expect(throttled).toMatchObject({ status: 429, retryAfterMs: 1_000 });
    const unavailable = (await con.get('me', { retry: { limit: 0, maxRetryAfter: 500 } }).catch((e: unknown) => e)) as GraphError;
    expect(unavailable).toMatchObject({ status: 503, retryAfterMs: 500 });
  });
});

describe('URLs with a user name or password', () => {
  const refused = (fn: () => unknown) => {
    let error: unknown;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    const { message } = error as TypeError;
    expect(message).toMatch(/^\[@graphwire\/core\] /);
    expect(message).not.toContain('s3cret');
    return message;
  };

  it('are refused as a request URL, with or without a token, and never reach the server', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const host = new URL(graph.url).host;
    expect(refused(() => con.get(`http://user:s3cret@${host}/v1.0/me`))).toContain('must not contain a user name or password');
    refused(() => con.naive.get(`http://user:s3cret@${host}/v1.0/me`));
    refused(() => con.get(new URL(`http://:s3cret@${host}/v1.0/me`)));
    refused(() => con.get('https://user:s3cret@graph.microsoft.com/v1.0/me'));
    refused(() => con.get('https://user:s3 cret@graph.microsoft.com/v1.0/me')); // not even a valid URL
    expect(graph.stats.requests).toBe(0);
  });

  it('are refused as a baseUrl and in allowedHosts', () => {
    refused(() => new Connection({ baseUrl: 'https://user:s3cret@graph.microsoft.com/v1.0' }));
    refused(() => new Connection({ baseUrl: 'https://user:s3cret@graph microsoft.com/v1.0' }));
    refused(() => new Connection({ allowedHosts: ['user:s3cret@graph.microsoft.com'] }));
    refused(() => new Connection({ allowedHosts: ['s3cret@graph.microsoft.com'] }));
  });

  it('are not echoed when the password holds an unencoded #, /, ?, @ or \\ (the URL does not parse)', async () => {
    const con = new Connection({ session: new StaticTokenSession('t') });
    const passwords = ['pa#s3cret', 'pa/s3cret', 'pa?s3cret', 'p@ss#s3cret', 'pa\\s3cret', 'pa#s3cret?x=1', 's3cret#', 's3cret/?@'];
    for (const password of passwords) {
      for (const url of [`https://user:${password}@graph.microsoft.com/v1.0/me`, ` https://user:${password}@graph.microsoft.com/v1.0/me`, `https:user:${password}@graph.microsoft.com/v1.0/me`]) {
        const request = refused(() => con.get(url));
        const base = refused(() => new Connection({ baseUrl: url }));
        for (const message of [request, base]) {
          // Still says what was wrong, and where the request was going.
          expect(message).toMatch(/invalid URL|option 'baseUrl' must|must not contain a user name or password/);
          if (!message.includes('must not contain')) expect(message).toContain('[redacted]@graph.microsoft.com');
        }
      }
    }
    // A secret query parameter in an unparsable URL is redacted too, and a huge input is cut short.
    expect(refused(() => con.get('https://graph.microsoft.com:99999/x?access_token=s3cret'))).toContain('access_token=[redacted]');
    expect(refused(() => con.get(`https://graph.microsoft.com:99999/${'x'.repeat(10_000)}`)).length).toBeLessThan(400);
    // `user:#…@host` parses (host `user`, the rest a fragment): the fragment, never sent, is dropped
    // so that no error about this request can quote it.
    const seen: string[] = [];
    const capture = { beforeRequest: [({ request }: { request: Request }) => { seen.push(request.url); return new Response('ok'); }] };
    await con.naive.get('https://user:#s3cret/?@graph.microsoft.com/v1.0/me', { hooks: capture }).text();
    expect(seen).toEqual(['https://user/']);
  });

  it('are refused as a nextLink', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const host = new URL(graph.url).host;
    const page = { value: [{ id: 'a' }], '@odata.nextLink': `http://user:s3cret@${host}/v1.0/users` };
    graph.script('GET /v1.0/things', [{ status: 200, contentType: 'application/json', body: JSON.stringify(page), execute: false }]);
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const item of con.paginate('things')) seen.push(item);
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    refused(() => {
      throw error;
    });
    expect(graph.stats.requests).toBe(1);
  });
});
