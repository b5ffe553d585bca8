import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { isNetworkError, isTimeoutError } from 'ky';
import { connect, elapsed, simulator } from './support.js';

const last = (graph: { stats: { log: Array<{ clientRequestId?: string }> } }) => graph.stats.log.at(-1)!.clientRequestId!;

describe('retries', () => {
  it('retries a GET through 503, 500, 502, 504 with one client-request-id', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { limit: 4, backoffBase: 10 } });
    graph.script('GET /v1.0/me', [{ status: 503 }, { status: 500 }, { status: 502 }, { status: 504 }]);
    await expect(con.get('me').json()).resolves.toMatchObject({ id: 'user-1' });
    const crid = last(graph);
    expect(graph.stats.attempts[crid]).toBe(5);
    expect(graph.stats.executions[crid]).toBe(1);
  });

  it('stops after the limit and raises the last status', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { limit: 2, backoffBase: 10 } });
    graph.script('GET /v1.0/me', Array.from({ length: 5 }, () => ({ status: 503 })));
    await expect(con.get('me')).rejects.toMatchObject({ name: 'GraphError', status: 503 });
    expect(graph.stats.requests).toBe(3);
  });

  it('honours Retry-After in seconds', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { backoffBase: 1 } });
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 1 }]);
    const start = performance.now();
    await con.get('me');
    expect(elapsed(start)).toBeGreaterThanOrEqual(950);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { backoffBase: 1 } });
    // HTTP dates have 1 s resolution: ask for 2 s ahead, expect at least ~1 s.
    graph.script('GET /v1.0/me', [{ status: 503, retryAfter: new Date(Date.now() + 2000).toUTCString() }]);
    const start = performance.now();
    await con.get('me');
    expect(elapsed(start)).toBeGreaterThanOrEqual(900);
  });

  it('clamps Retry-After with maxRetryAfter and falls back to backoff on garbage', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { maxRetryAfter: 50, backoffBase: 20 } });
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 3600 }, { status: 503, retryAfter: 'soon-ish' }]);
    const start = performance.now();
    await con.get('me');
    expect(elapsed(start)).toBeLessThan(1000);
    expect(graph.stats.requests).toBe(3);
  });

  it('does not retry a POST after 500: the server may have processed it', async () => {
    const graph = await simulator();
    const con = connect(graph);
    graph.script('POST /v1.0/me/todo/lists', [{ status: 500, execute: true }]);
    await expect(con.post('me/todo/lists', { json: { displayName: 'x' } })).rejects.toMatchObject({ status: 500 });
    const crid = last(graph);
    expect(graph.stats.attempts[crid]).toBe(1);
  });

  it('retries a POST after 429 and after 503 with Retry-After, executing it once', async () => {
    const graph = await simulator();
    const con = connect(graph);
    graph.script('POST /v1.0/me/todo/lists', [{ status: 429, retryAfter: 0 }, { status: 503, retryAfter: 0 }]);
    await con.post('me/todo/lists', { json: { displayName: 'once' } }).json();
    const crid = last(graph);
    expect(graph.stats.attempts[crid]).toBe(3);
    expect(graph.stats.executions[crid]).toBe(1);
  });

  it('does not retry a PATCH after 503 without Retry-After', async () => {
    const graph = await simulator();
    const con = connect(graph);
    graph.script('PATCH /v1.0/me/todo/lists/1', [{ status: 503 }]);
    await expect(con.patch('me/todo/lists/1', { json: {} })).rejects.toMatchObject({ status: 503 });
    expect(graph.stats.requests).toBe(1);
  });

  it('retries a GET after a connection reset, but not a POST', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { backoffBase: 10 } });
    graph.script('GET /v1.0/me', [{ reset: true }]);
    await expect(con.get('me').json()).resolves.toMatchObject({ id: 'user-1' });
    expect(graph.stats.byRoute['GET /v1.0/me']).toBe(2);

    graph.script('POST /v1.0/me/todo/lists', [{ reset: true }]);
    const error = await con.post('me/todo/lists', { json: {} }).catch((e: unknown) => e);
    expect(isNetworkError(error)).toBe(true);
    expect((error as Error).cause).toBeDefined();
    expect(graph.stats.byRoute['POST /v1.0/me/todo/lists']).toBe(1);
  });

  it('retries a POST when the connection is refused', async () => {
    // Reserve a port, then listen on it only after the first attempt has been refused.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const graph = await simulator({ port: 0 });
    const lines: string[] = [];
    const con = connect(graph, {
      baseUrl: `http://127.0.0.1:${port}/v1.0`,
      retries: { limit: 1, backoffBase: 400 },
      logger: { debug: (l) => lines.push(l) },
    });
    const pending = con.post('me/todo/lists', { json: { displayName: 'late' } }).json();
    await new Promise((r) => setTimeout(r, 100));
    const late = await simulator({ port });
    await expect(pending).resolves.toMatchObject({ displayName: 'late' });
    expect(late.stats.requests).toBe(1);
    expect(lines.some((l) => l.includes('ECONNREFUSED'))).toBe(true);
  });

  it('lets a request override the retry policy', async () => {
    const graph = await simulator();
    const con = connect(graph);
    graph.script('GET /v1.0/me', [{ status: 503 }, { status: 503 }]);
    await expect(con.get('me', { retry: 0 })).rejects.toMatchObject({ status: 503 });
    expect(graph.stats.requests).toBe(1);
  });
});

describe('timeouts and aborts', () => {
  it('times out an attempt waiting for headers', async () => {
    const graph = await simulator();
    const con = connect(graph, { timeout: 150 });
    graph.script('GET /v1.0/me', [{ latencyMs: 1000 }]);
    const start = performance.now();
    const error = await con.get('me').catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    expect(elapsed(start)).toBeLessThan(900);
  });

  it('retries a timed-out GET when retryOnTimeout is set', async () => {
    const graph = await simulator();
    const con = connect(graph, { timeout: 150, retries: { retryOnTimeout: true, backoffBase: 10 } });
    graph.script('GET /v1.0/me', [{ latencyMs: 1000 }]);
    await expect(con.get('me').json()).resolves.toMatchObject({ id: 'user-1' });
  });

  it("stops at the caller's abort signal mid-request", async () => {
    const graph = await simulator();
    const con = connect(graph);
    graph.script('GET /v1.0/me', [{ latencyMs: 2000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 100);
    const start = performance.now();
    await expect(con.get('me', { signal: controller.signal })).rejects.toThrow('user cancelled');
    expect(elapsed(start)).toBeLessThan(1500);
  });

  it('ends a Retry-After wait as soon as the caller aborts', async () => {
    const graph = await simulator();
    const con = connect(graph);
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 30 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 200);
    const start = performance.now();
    await expect(con.get('me', { signal: controller.signal })).rejects.toThrow('user cancelled');
    expect(elapsed(start)).toBeLessThan(2000);
    expect(graph.stats.requests).toBe(1);
  });
});

describe("a redirect refused by redirect: 'error'", () => {
  it('rejects at once, as fetch does, instead of being retried as a network error', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { backoffBase: 10 } });
    const redirect = { redirect: `${graph.url}/v1.0/users` };
    graph.script('GET /v1.0/me', Array(10).fill(redirect));
    const refused = await con.fetch('me', { redirect: 'error' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError).cause).toMatchObject({ message: 'unexpected redirect' });
    expect(graph.stats.requests).toBe(1);
    // A one-off redirect is not followed by a retry that succeeds either: not for a Request, not for con.get.
    graph.reset();
    graph.script('GET /v1.0/me', [redirect]);
    await expect(con.fetch(new Request(`${graph.url}/v1.0/me`, { redirect: 'error' }))).rejects.toThrow(TypeError);
    graph.script('GET /v1.0/me', [redirect]);
    const viaGet = await con.get('me', { redirect: 'error' }).catch((error: unknown) => error);
    expect(isNetworkError(viaGet)).toBe(true);
    expect(graph.stats.requests).toBe(2);
    // Followed as usual otherwise.
    graph.script('GET /v1.0/me', [redirect]);
    expect((await con.fetch('me')).status).toBe(200);
  });
});
