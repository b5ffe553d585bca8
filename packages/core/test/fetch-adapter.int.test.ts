// con.fetch over a real simulator: fetch's contract, graphwire's pipeline.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CountingSession, connect, elapsed, simulator } from './support.js';

const json = { 'content-type': 'application/json' };

describe('con.fetch: fetch input and output', () => {
  it('resolves relative paths against the base URL and accepts absolute URLs and URL objects', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const relative = await con.fetch('me');
    expect(relative).toBeInstanceOf(Response);
    expect(relative.status).toBe(200);
    expect(relative.url).toBe(`${graph.url}/v1.0/me`);
    expect(await relative.json()).toMatchObject({ id: 'user-1' });
    expect((await con.fetch(`${graph.url}/v1.0/users/user-2`)).status).toBe(200);
    expect((await (await con.fetch(new URL(`${graph.url}/v1.0/users?$top=2`))).json()).value).toHaveLength(2);
    expect(graph.stats.log.every((r) => r.headers.authorization === 'Bearer static-token')).toBe(true);
  });

  it('works detached, as libraries call it', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const { fetch } = con;
    const call = (f: typeof globalThis.fetch) => f('me');
    expect((await fetch('me')).status).toBe(200);
    expect((await call(con.fetch)).status).toBe(200);
    expect((await con.fetch.call(undefined, 'me')).status).toBe(200);
  });

  it('takes a Request: its method, headers and body; init wins over it', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const request = new Request(`${graph.url}/v1.0/me/todo/lists`, {
      method: 'POST', headers: { ...json, 'x-custom': 'from-request' }, body: JSON.stringify({ displayName: 'From a Request' }),
    });
    const created = await con.fetch(request);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ displayName: 'From a Request' });
    expect(graph.stats.log[0]).toMatchObject({ method: 'POST', headers: { 'x-custom': 'from-request', authorization: 'Bearer static-token' } });

    const other = new Request(`${graph.url}/v1.0/me/todo/lists`, { method: 'POST', headers: json, body: '{"displayName":"ignored"}' });
    const replaced = await con.fetch(other, { method: 'POST', headers: { ...json, 'x-custom': 'from-init' }, body: '{"displayName":"From init"}' });
    expect(await replaced.json()).toMatchObject({ displayName: 'From init' });
    expect(graph.stats.log[1]!.headers['x-custom']).toBe('from-init');
  });

  it('sends strings, buffers, views, Blob, URLSearchParams, FormData and streams', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const bodies: Array<[string, BodyInit, string]> = [
      ['string', 'plain text', 'plain text'],
      ['arraybuffer', new TextEncoder().encode('array buffer').buffer, 'array buffer'],
      ['view', new TextEncoder().encode('a view'), 'a view'],
      ['blob', new Blob(['a blob'], { type: 'text/plain' }), 'a blob'],
      ['params', new URLSearchParams({ a: '1', b: 'two' }), 'a=1&b=two'],
      ['stream', new Blob(['a stream']).stream(), 'a stream'],
    ];
    for (const [name, body, expected] of bodies) {
      const put = await con.fetch(`me/drive/root:/fetch/${name}.txt:/content`, { method: 'PUT', body, duplex: 'half' } as RequestInit);
      expect(put.status, name).toBe(201);
      expect(await (await con.fetch(`me/drive/root:/fetch/${name}.txt:/content`)).text(), name).toBe(expected);
    }
    const form = new FormData();
    form.set('field', 'value');
    await con.fetch('me/drive/root:/fetch/form.txt:/content', { method: 'PUT', body: form });
    const sent = await (await con.fetch('me/drive/root:/fetch/form.txt:/content')).text();
    expect(sent).toContain('name="field"');
    expect(sent).toContain('value');
    const putLog = graph.stats.log.filter((r) => r.method === 'PUT');
    expect(putLog.find((r) => r.path.endsWith('params.txt:/content'))!.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(putLog.find((r) => r.path.endsWith('form.txt:/content'))!.headers['content-type']).toContain('multipart/form-data; boundary=');
  });

  it('resolves with a 404 and Graph\'s error body instead of rejecting', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const response = await con.fetch('users/nobody');
    expect(response.ok).toBe(false);
    expect(response.status).toBe(404);
    expect(response.headers.get('request-id')).toBeTruthy();
    expect(await response.json()).toMatchObject({ error: { code: 'itemNotFound' } });
  });

  it("keeps a library's own client-request-id and SdkVersion (after graphwire's)", async () => {
    const graph = await simulator();
    const con = connect(graph);
    await con.fetch('me', { headers: { SdkVersion: 'graph-typescript/1.0', 'client-request-id': 'from-the-library' } });
    expect(graph.stats.log[0]!.headers).toMatchObject({ sdkversion: 'graphwire/0.1.0, graph-typescript/1.0', 'client-request-id': 'from-the-library' });
  });

  it('resolves a 401 that earns no refresh with its body and URL', async () => {
    const graph = await simulator();
    const con = connect(graph);
    graph.script('GET /v1.0/me', [{ status: 401, code: 'Unauthorized', message: 'not for you' }]);
    const response = await con.fetch('me');
    expect(response.status).toBe(401);
    expect(response.url).toBe(`${graph.url}/v1.0/me`);
    expect(await response.json()).toMatchObject({ error: { code: 'Unauthorized', message: 'not for you' } });
  });

  it('refuses a caller-supplied Authorization header with a TypeError, sending nothing', async () => {
    const graph = await simulator();
    const con = connect(graph);
    await expect(con.fetch('me', { headers: { Authorization: 'Bearer mine' } })).rejects.toThrow(TypeError);
    await expect(con.fetch(new Request(`${graph.url}/v1.0/me`, { headers: { authorization: 'Bearer mine' } }))).rejects.toThrow(/Authorization/);
    await expect(con.fetch('ftp://example.test/x')).rejects.toThrow(TypeError);
    await expect(con.fetch('me', { method: 'GET', body: 'x' })).rejects.toThrow(TypeError);
    expect(graph.stats.requests).toBe(0);
  });
});

describe('con.fetch: the pipeline', () => {
  it('retries a 503 with Retry-After and resolves 200, executing a POST once', async () => {
    const graph = await simulator();
    const con = connect(graph);
    graph.script('POST /v1.0/me/todo/lists', [{ status: 503, retryAfter: 0 }]);
    const response = await con.fetch('me/todo/lists', { method: 'POST', headers: json, body: JSON.stringify({ displayName: 'once' }) });
    expect(response.status).toBe(201);
    const crid = graph.stats.log.at(-1)!.clientRequestId!;
    expect(graph.stats.attempts[crid]).toBe(2);
    expect(graph.stats.executions[crid]).toBe(1);
  });

  it('resolves with the last response once retries are spent', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { limit: 1, backoffBase: 10 } });
    graph.script('GET /v1.0/me', [{ status: 503 }, { status: 503 }]);
    const response = await con.fetch('me');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'ServiceUnavailable' } });
    expect(graph.stats.requests).toBe(2);
  });

  it('pauses the connection after a 429, for other requests too', async () => {
    const graph = await simulator();
    let seen!: () => void;
    const throttled = new Promise<void>((resolve) => (seen = resolve));
    const con = connect(graph, { telemetry: { throttled: () => seen() } }); // graphwire has seen the 429
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 1 }]);
    const start = performance.now();
    const first = con.fetch('me');
    await throttled;
    const second = con.fetch('users/user-2');
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(elapsed(start)).toBeGreaterThanOrEqual(950);
    const throttledAt = graph.stats.log.find((r) => r.status === 429)!.time;
    const userAt = graph.stats.log.find((r) => r.path === '/v1.0/users/user-2')!.time;
    expect(userAt - throttledAt).toBeGreaterThanOrEqual(900);
  });

  it('refreshes a rejected token and replays the request, body included', async () => {
    const graph = await simulator();
    const session = new CountingSession();
    const con = connect(graph, { session });
    await con.fetch('me');
    graph.revokeToken('token-1');
    const request = new Request(`${graph.url}/v1.0/me/todo/lists`, { method: 'POST', headers: json, body: JSON.stringify({ displayName: 'Replayed' }) });
    const response = await con.fetch(request);
    expect(response.status).toBe(201);
    expect(response.url).toBe(`${graph.url}/v1.0/me/todo/lists`);
    expect(await response.json()).toMatchObject({ displayName: 'Replayed' });
    expect(session.requests.map((r) => r.forceRefresh)).toEqual([false, true]);
    expect(graph.stats.tokensSeen).toEqual(['token-1', 'token-2']);
    const crid = graph.stats.log.at(-1)!.clientRequestId!;
    expect(graph.stats.executions[crid]).toBe(1);
  });

  it('sends no token to a host that is not allowed', async () => {
    const graph = await simulator();
    const foreign = await simulator({ requireAuth: false });
    const con = connect(graph);
    const response = await con.fetch(`${foreign.url.replace('127.0.0.1', 'localhost')}/v1.0/me`);
    expect(response.status).toBe(200);
    expect((await con.fetch(new Request(`${foreign.url}/v1.0/users`))).status).toBe(200);
    expect(foreign.stats.requests).toBe(2);
    expect(foreign.stats.authorizationHeaders).toBe(0);
    expect(graph.stats.requests).toBe(0);
  });
});

describe('con.fetch: rejects where fetch would', () => {
  it('rejects a network failure with a TypeError', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: 0 });
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    const error = await con.fetch(`http://127.0.0.1:${port}/v1.0/me`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).name).toBe('TypeError');
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');

    graph.script('GET /v1.0/me', [{ reset: true }]);
    await expect(con.fetch('me')).rejects.toBeInstanceOf(TypeError);
  });

  it("rejects with the caller's abort reason", async () => {
    const graph = await simulator();
    const con = connect(graph);
    graph.script('GET /v1.0/me', [{ latencyMs: 2000 }]);
    const controller = new AbortController();
    const reason = new Error('stopped by the caller');
    setTimeout(() => controller.abort(reason), 50);
    await expect(con.fetch('me', { signal: controller.signal })).rejects.toBe(reason);
    const already = AbortSignal.abort('a string reason');
    await expect(con.fetch('me', { signal: already })).rejects.toBe('a string reason');
    const viaRequest = new AbortController();
    const pending = con.fetch(new Request(`${graph.url}/v1.0/users`, { signal: viaRequest.signal }));
    viaRequest.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it("rejects the connection's per-attempt timeout with a DOMException named TimeoutError", async () => {
    const graph = await simulator();
    const con = connect(graph, { timeout: 200 });
    graph.script('GET /v1.0/me', [{ latencyMs: 2000 }]);
    const error = await con.fetch('me').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    // That it carries no token (its cause's Request included) is checked in safety.int.test.ts.
  });

  it('rejects once the connection is closed', async () => {
    const graph = await simulator();
    const con = connect(graph);
    await con.close();
    await expect(con.fetch('me')).rejects.toThrow(TypeError);
  });
});
