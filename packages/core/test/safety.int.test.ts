// Regressions from the security and pipeline review: each test failed before its fix.
import { createServer } from 'node:http';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { connect, elapsed, simulator } from './support.js';

describe('the bearer token stays with allowed hosts', () => {
  it('withholds the token when a hook points the request at another host', async () => {
    const graph = await simulator();
    const foreign = await simulator({ requireAuth: false });
    const con = connect(graph, {
      hooks: { beforeRequest: [({ request }) => new Request(`${foreign.url}/v1.0/me`, request)] },
    });
    await con.get('me').json();
    expect(foreign.stats.requests).toBe(1);
    expect(foreign.stats.authorizationHeaders).toBe(0);
    expect(graph.stats.requests).toBe(0);
  });

  it('withholds the token, and the Graph-only SdkVersion, when a beforeRetry hook sends the retry to another host', async () => {
    const graph = await simulator();
    const foreign = await simulator({ requireAuth: false });
    const con = connect(graph, { retries: { backoffBase: 10 }, hooks: { beforeRetry: [() => new Request(`${foreign.url}/v1.0/me`)] } });
    graph.script('GET /v1.0/me', [{ status: 503 }]);
    await con.get('me').json();
    expect(graph.stats.log.map((r) => [r.status, r.authorized])).toEqual([[503, true]]);
    expect(foreign.stats.log.map((r) => [r.headers.authorization, r.headers.sdkversion])).toEqual([[undefined, undefined]]);
  });

  it('keeps the token off every Request and error a caller or a hook can reach', async () => {
    const graph = await simulator();
    const hookSaw: Array<string | null> = [];
    const con = connect(graph, { timeout: 200, retries: { backoffBase: 10 }, hooks: { beforeRetry: [({ request }) => void hookSaw.push(request.headers.get('authorization'))] } });
    graph.script('GET /v1.0/me', [{ status: 503 }]);
    await con.get('me').json();
    graph.script('GET /v1.0/me', [{ latencyMs: 2000 }]);
    const timeout = (await con.get('me', { retry: 0 }).catch((e: unknown) => e)) as Error & { request?: Request };
    graph.script('GET /v1.0/me', [{ latencyMs: 2000 }]);
    const fetchTimeout = (await con.fetch('me').catch((e: unknown) => e)) as Error & { cause?: { request?: Request } };
    expect(hookSaw).toEqual([null]);
    expect(timeout.name).toBe('TimeoutError');
    expect(timeout.request?.headers.get('authorization')).toBeNull();
    expect(fetchTimeout.cause?.request?.headers.get('authorization')).toBeNull();
    for (const error of [timeout, fetchTimeout]) expect(inspect(error, { depth: 6 })).not.toContain('static-token');
  });

  it('refuses Authorization headers that would bypass the session', async () => {
    const graph = await simulator();
    const con = connect(graph);
    expect(() => con.naive.get('me', { headers: { Authorization: 'Bearer mine' } })).toThrow(
      '[@graphwire/core] an Authorization header was given: tokens come from `session`',
    );
    expect(() => con.get('https://example.com/x', { headers: { authorization: 'Bearer mine' } })).toThrow(TypeError);
    expect(() => connect(graph, { defaultHeaders: { Authorization: 'Bearer mine' } })).toThrow(
      "[@graphwire/core] Connection: option 'defaultHeaders' must not contain Authorization",
    );
    expect(graph.stats.requests).toBe(0);
  });
});

describe('credentials in URLs', () => {
  it('keeps a tempauth query credential out of timeout and HTTP errors, their messages, stacks and properties', async () => {
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/slow')) return; // never answers
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"accessDenied","message":"no"}}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const graph = await simulator();
      const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const con = connect(graph, { timeout: 150, retries: 0 });
      const errors = await Promise.all([
        con.naive.get(`${origin}/slow?tempauth=SECRET-TEMPAUTH`).catch((e: unknown) => e),
        con.naive.get(`${origin}/denied?UniqueId=1&tempauth=SECRET-TEMPAUTH`).catch((e: unknown) => e),
      ]);
      expect(errors.map((e) => (e as Error).name)).toEqual(['TimeoutError', 'GraphError']);
      for (const error of errors) {
        const seen = [inspect(error, { depth: 8, showHidden: true }), String((error as Error).stack), JSON.stringify(error)].join('\n');
        expect(seen).not.toContain('SECRET-TEMPAUTH');
        expect(seen).toContain('tempauth=');
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('aborts, pauses and close', () => {
  it("honours the caller's abort while the body downloads, with the default timeout on", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"value":[');
      setTimeout(() => res.end('1]}'), 3000).unref();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const graph = await simulator();
      const { port } = server.address() as { port: number };
      const con = connect(graph, { baseUrl: `http://127.0.0.1:${port}/v1.0` });
      const controller = new AbortController();
      const start = performance.now();
      const pending = con.naive.get('slow', { signal: controller.signal }).json();
      setTimeout(() => controller.abort(new Error('user cancelled')), 200);
      await expect(pending).rejects.toThrow('user cancelled');
      expect(elapsed(start)).toBeLessThan(2000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("does not let one host's pause hold the connection's only slot", async () => {
    const graph = await simulator();
    const other = await simulator({ requireAuth: false });
    const lines: string[] = [];
    const con = connect(graph, { maxConcurrency: 1, logger: { debug: (line) => lines.push(line) } });
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 3 }]);
    const throttled = con.get('me');
    while (!lines.some((l) => l.includes('→ 429'))) await new Promise((r) => setTimeout(r, 5));
    const queued = con.get('users'); // waits out the pause for the throttled host
    await new Promise((r) => setTimeout(r, 50));
    const start = performance.now();
    await con.naive.get(`${other.url}/v1.0/me`);
    expect(elapsed(start)).toBeLessThan(1500);
    await Promise.all([throttled, queued]);
  });

  it('rejects requests waiting out a pause as soon as the connection closes', async () => {
    const graph = await simulator();
    const lines: string[] = [];
    const con = connect(graph, { logger: { debug: (line) => lines.push(line) } });
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 30 }]);
    const first = con.get('me').catch((e: unknown) => e);
    // Wait until the client has seen the 429 (the simulator counts it when sending).
    while (!lines.some((l) => l.includes('→ 429'))) await new Promise((r) => setTimeout(r, 5));
    const waiting = con.get('users').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const start = performance.now();
    await con.close();
    expect(await waiting).toMatchObject({ message: expect.stringContaining('[@graphwire/core] the Connection was closed') });
    expect(elapsed(start)).toBeLessThan(1000);
    expect(graph.stats.requests).toBe(1);
    void first;
  });
});
