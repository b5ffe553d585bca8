import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { GraphError, isGraphError } from '@graphwire/core';
import { connect, simulator } from './support.js';

describe('requests', () => {
  it('resolves paths against the base URL and accepts absolute URLs to it', async () => {
    const graph = await simulator();
    const con = connect(graph);
    await con.get('/me');
    await con.get(`${graph.url}/v1.0/users/user-2`);
    await con.get(new URL(`${graph.url}/beta/me`));
    expect(graph.stats.log.map((r) => `${r.path} ${r.authorized}`)).toEqual(['/v1.0/me true', '/v1.0/users/user-2 true', '/beta/me true']);
  });

  it('merges defaultHeaders, joining Prefer, and keeps a caller client-request-id', async () => {
    const graph = await simulator();
    const con = connect(graph, { defaultHeaders: { Prefer: 'outlook.timezone="UTC"', 'X-App': 'demo' } });
    await con.get('me', { headers: { prefer: 'odata.maxpagesize=5', 'client-request-id': 'mine-1' } });
    expect(graph.stats.log[0]!.headers).toMatchObject({
      prefer: 'outlook.timezone="UTC", odata.maxpagesize=5',
      'x-app': 'demo',
      'client-request-id': 'mine-1',
    });
  });

  it('sends plain objects as JSON', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const a = await con.post('groups', { body: { displayName: 'A', tags: [1, 2] } }).json<{ id: string; tags: number[] }>();
    const b = await con.put(`groups/${a.id}`, { json: { displayName: 'B' } }).json<{ displayName: string }>();
    expect(a.tags).toEqual([1, 2]);
    expect(b.displayName).toBe('B');
    expect(graph.stats.log[0]!.headers['content-type']).toMatch(/^application\/json/);
    expect((await con.delete(`groups/${a.id}`)).status).toBe(204);
    expect((await con.head('me')).status).toBe(200);
  });

  it('resolves non-2xx responses with raiseHttpErrors: false, after retrying', async () => {
    const graph = await simulator();
    const con = connect(graph, { raiseHttpErrors: false, retries: { backoffBase: 10 } });
    graph.script('GET /v1.0/users/nobody', [{ status: 503 }]);
    const response = await con.get('users/nobody');
    expect(response.status).toBe(404);
    expect(graph.stats.requests).toBe(2);
    await expect(connect(graph).get('users/nobody', { raiseHttpErrors: false })).resolves.toMatchObject({ status: 404 });
  });
});

describe('GraphError over the wire', () => {
  it("carries Graph's error fields and headers", async () => {
    const graph = await simulator();
    const con = connect(graph);
    const error = (await con.get('users/nobody', { headers: { 'client-request-id': 'crid-404' } }).catch((e: unknown) => e)) as GraphError;
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 404, code: 'itemNotFound', clientRequestId: 'crid-404', method: 'GET' });
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.date).toBeInstanceOf(Date);
    expect(error.innerError).toMatchObject({ 'request-id': error.requestId });
    expect(error.message).toMatch(new RegExp(`^GET ${graph.url}/v1.0/users/nobody failed: 404 itemNotFound: .+ \\(request-id ${error.requestId}\\)$`));
    expect(error.response.status).toBe(404);
  });

  it.each([
    ['HTML', { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' }, 502],
    ['empty', { status: 500, body: '' }, 500],
    ['truncated JSON', { status: 500, body: '{"error":{"code":"generalExc', contentType: 'application/json' }, 500],
    ['huge', { status: 500, body: `{"error":{"code":"big","message":"${'x'.repeat(12 * 1024 * 1024)}"}}`, contentType: 'application/json' }, 500],
  ])('still gives a GraphError with the status for an %s body', async (_, fault, status) => {
    const graph = await simulator();
    const con = connect(graph, { retries: 0 });
    graph.script('GET /v1.0/me', [fault]);
    const error = await con.get('me').json().catch((e: unknown) => e);
    expect(isGraphError(error)).toBe(true);
    expect(error).toMatchObject({ status });
    expect((error as Error).message.length).toBeLessThan(700);
  });
});

describe('hooks', () => {
  it("runs the caller's ky hooks after graphwire's own, on every attempt", async () => {
    const graph = await simulator();
    const seen: string[] = [];
    const con = connect(graph, {
      retries: { backoffBase: 10 },
      hooks: {
        beforeRequest: [({ request }) => void seen.push(`request ${request.headers.has('authorization')}`)],
        beforeRetry: [({ retryCount }) => void seen.push(`retry ${retryCount}`)],
        afterResponse: [({ response }) => void seen.push(`response ${response.status}`)],
        beforeError: [({ error }) => (seen.push(`error ${error.name}`), error)],
      },
    });
    graph.script('GET /v1.0/users/nobody', [{ status: 503 }]);
    await con.get('users/nobody').catch(() => undefined);
    // The token is added below ky, so hooks never see it; errors arrive already as GraphError.
    expect(seen).toEqual(['request false', 'retry 1', 'response 404', 'error GraphError']);
  });
  it('runs beforeRetry hooks of the connection and then of the request, with ky\'s state, between attempts', async () => {
    const graph = await simulator();
    const seen: string[] = [];
    const con = connect(graph, {
      retries: { backoffBase: 10 },
      hooks: { beforeRetry: [({ retryCount, error, options }) => void seen.push(`connection ${retryCount} ${error.name} ${options.method}`)] },
    });
    graph.script('GET /v1.0/me', [{ status: 503 }, { status: 502 }]);
    const me = await con.get('me', { hooks: { beforeRetry: [({ retryCount, request }) => void seen.push(`request ${retryCount} ${new URL(request.url).pathname}`)] } }).json();
    expect(me).toMatchObject({ id: expect.any(String) });
    expect(seen).toEqual(['connection 1 ForceRetryError GET', 'request 1 /v1.0/me', 'connection 2 ForceRetryError GET', 'request 2 /v1.0/me']);
    expect(graph.stats.requests).toBe(3);
  });

  it('takes a Response from a beforeRetry hook as the answer, and ky.stop as "the last outcome is final"', async () => {
    const graph = await simulator();
    const answered = connect(graph, { retries: { backoffBase: 10 }, hooks: { beforeRetry: [() => Response.json({ id: 'from-hook' })] } });
    graph.script('GET /v1.0/me', [{ status: 503 }]);
    await expect(answered.get('me').json()).resolves.toEqual({ id: 'from-hook' });
    expect(graph.stats.requests).toBe(1);

    graph.reset();
    const stopped = connect(graph, { retries: { backoffBase: 10 }, hooks: { beforeRetry: [() => ky.stop] } });
    graph.script('GET /v1.0/me', [{ status: 503 }]);
    const error = await stopped.get('me').json().catch((e: unknown) => e);
    expect(isGraphError(error) && error.status).toBe(503);
    expect(graph.stats.requests).toBe(1);
  });

  it('sends the Request a beforeRetry hook returns, with the token only where allowed', async () => {
    const graph = await simulator();
    const con = connect(graph, {
      retries: { backoffBase: 10 },
      hooks: { beforeRetry: [({ request }) => new Request(new URL('/v1.0/users/user-2', request.url), request)] },
    });
    graph.script('GET /v1.0/me', [{ status: 503 }]);
    await expect(con.get('me').json()).resolves.toMatchObject({ id: 'user-2' });
    expect(graph.stats.log.map((r) => `${r.path} ${r.status} ${r.authorized}`)).toEqual(['/v1.0/me 503 true', '/v1.0/users/user-2 200 true']);
  });
  it("retries when an afterResponse hook asks with ky.retry(), and names in errors what a beforeRetry hook sent", async () => {
    const graph = await simulator();
    let forced = 0;
    const con = connect(graph, {
      retries: { backoffBase: 10 },
      hooks: { afterResponse: [({ response }) => (response.headers.get('x-again') === null && forced++ === 0 ? ky.retry() : undefined)] },
    });
    await expect(con.get('me').json()).resolves.toMatchObject({ id: expect.any(String) });
    expect(graph.stats.requests).toBe(2);

    const perRequest = await con.get('users/user-2', { hooks: { afterResponse: [() => undefined] } }).json();
    expect(perRequest).toMatchObject({ id: 'user-2' });

    graph.reset();
    const redirected = connect(graph, {
      retries: { backoffBase: 10 },
      hooks: { beforeRetry: [({ request }) => new Request(new URL('/v1.0/users/nobody', request.url), request)] },
    });
    graph.script('GET /v1.0/me', [{ status: 503 }]);
    const error = await redirected.get('me').catch((e: unknown) => e);
    expect(isGraphError(error) && [error.status, new URL(error.url).pathname]).toEqual([404, '/v1.0/users/nobody']);
  });

  it('retries when a per-request afterResponse hook asks with ky.retry(), on a connection without such hooks', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { backoffBase: 10 } });
    let forced = 0;
    await con.get('me', { hooks: { afterResponse: [() => (forced++ === 0 ? ky.retry() : undefined)] } }).json();
    expect(graph.stats.requests).toBe(2);
  });

  it("shows a beforeRetry hook ky's NetworkError for a reset connection, and ky.stop rethrows it", async () => {
    const graph = await simulator();
    const seen: string[] = [];
    const con = connect(graph, { retries: { backoffBase: 10 }, hooks: { beforeRetry: [({ error }) => { seen.push(error.name); return ky.stop; }] } });
    graph.script('GET /v1.0/me', [{ reset: true }]);
    await expect(con.get('me').json()).rejects.toMatchObject({ name: 'NetworkError' });
    expect(seen).toEqual(['NetworkError']);
    expect(graph.stats.requests).toBe(1);
  });

  it("applies a request's own retry policy to timeouts", async () => {
    const graph = await simulator();
    const con = connect(graph, { timeout: 150 }); // the connection does not retry timeouts
    graph.script('GET /v1.0/me', [{ latencyMs: 1000 }]);
    await expect(con.get('me', { retry: { retryOnTimeout: true, backoffBase: 10 } }).json()).resolves.toMatchObject({ id: 'user-1' });
    graph.script('GET /v1.0/me', [{ latencyMs: 1000 }]);
    await expect(con.get('me').json()).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
