import { describe, expect, it } from 'vitest';
import { GraphAuthError, type GraphError, isGraphAuthError, isGraphError } from '@graphwire/core';
import { CountingSession, connect, simulator } from './support.js';

describe('OAuth request handler: where the token goes', () => {
  it('sends the bearer token and SdkVersion to the Graph host', async () => {
    const graph = await simulator();
    const con = connect(graph);
    await con.get('me').json();
    expect(graph.stats.log[0]!.headers).toMatchObject({ authorization: 'Bearer static-token', sdkversion: 'graphwire/0.1.0' });
  });

  it('never sends Authorization from con.naive, even to the Graph host', async () => {
    const graph = await simulator({ requireAuth: false });
    const con = connect(graph);
    for (const verb of ['get', 'post', 'put', 'patch', 'delete', 'head'] as const) {
      await con.naive[verb](verb === 'post' ? 'things' : 'things/1', { raiseHttpErrors: false, ...(verb === 'get' || verb === 'head' || verb === 'delete' ? {} : { json: {} }) });
    }
    expect(graph.stats.requests).toBe(6);
    expect(graph.stats.authorizationHeaders).toBe(0);
  });

  it('sends no token to a foreign host given as an absolute URL or a nextLink', async () => {
    const graph = await simulator();
    const foreign = await simulator({ requireAuth: false });
    const con = connect(graph);
    const foreignUrl = foreign.url.replace('127.0.0.1', 'localhost'); // another origin, like a third-party host
    await con.get(`${foreignUrl}/v1.0/me`).json();
    await con.get(`${foreign.url}/v1.0/users`).json(); // same IP, another port: another host
    // A nextLink pointing elsewhere (e.g. a tampered or third-party page) gets no token either.
    const page = await con.get(`${foreign.url}/v1.0/users`, { searchParams: { $top: 2 } }).json<{ '@odata.nextLink': string }>();
    await con.get(page['@odata.nextLink']).json();
    expect(foreign.stats.requests).toBe(4);
    expect(foreign.stats.authorizationHeaders).toBe(0);
    expect(foreign.stats.log.every((r) => r.headers.sdkversion === undefined)).toBe(true);
  });

  it("follows the simulator's own nextLinks with the token", async () => {
    const graph = await simulator({ users: 5 });
    const con = connect(graph);
    let url: string | undefined = 'users?$top=2';
    const names: string[] = [];
    while (url) {
      const page: { value: Array<{ displayName: string }>; '@odata.nextLink'?: string } = await con.get(url).json();
      names.push(...page.value.map((u) => u.displayName));
      url = page['@odata.nextLink'];
    }
    expect(names).toEqual(['User 1', 'User 2', 'User 3', 'User 4', 'User 5']);
    expect(graph.stats.authorizationHeaders).toBe(3);
  });

  it('drops Authorization when a redirect crosses origins', async () => {
    const graph = await simulator();
    const foreign = await simulator({ requireAuth: false });
    const con = connect(graph);
    const target = `${foreign.url.replace('127.0.0.1', 'localhost')}/v1.0/me`;
    const me = await con.get('redirect', { searchParams: { to: target, status: 302 } }).json<{ id: string }>();
    expect(me.id).toBe('user-1');
    expect(graph.stats.log[0]!.authorized).toBe(true);
    expect(foreign.stats.requests).toBe(1);
    expect(foreign.stats.authorizationHeaders).toBe(0);
  });
});

describe('token refresh orchestrator over the wire', () => {
  it('1,000 concurrent requests on an expired token cause exactly one acquisition', async () => {
    const graph = await simulator();
    const session = new CountingSession(300, 30);
    const con = connect(graph, { session, refreshMargin: 0 });
    await con.get('me').json();
    expect(session.requests).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 350)); // token-1 has now expired
    await Promise.all(Array.from({ length: 1000 }, () => con.get('me').json()));
    expect(session.requests).toHaveLength(2);
    expect(graph.stats.tokensSeen).toEqual(['token-1', 'token-2']);
    expect(graph.stats.log.slice(1).every((r) => r.token === 'token-2')).toBe(true);
  });

  it('refreshes before expiry by refreshMargin', async () => {
    const graph = await simulator();
    const session = new CountingSession(10 * 60_000);
    const con = connect(graph, { session, refreshMargin: 10 * 60_000 - 200 });
    await con.get('me');
    await con.get('me');
    expect(session.requests).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 250));
    await con.get('me');
    expect(session.requests).toHaveLength(2);
  });

  it('answers a revoked (not yet expired) token with one forced refresh and one retry', async () => {
    const graph = await simulator();
    const session = new CountingSession();
    const con = connect(graph, { session });
    await con.get('me').json();
    graph.revokeToken('token-1');
    const results = await Promise.all(Array.from({ length: 20 }, () => con.get('me').json<{ id: string }>()));
    expect(results.every((r) => r.id === 'user-1')).toBe(true);
    expect(session.requests.map((r) => r.forceRefresh)).toEqual([false, true]);
    expect(graph.stats.tokensSeen).toEqual(['token-1', 'token-2']);
  });

  it('replays a POST body after a refresh', async () => {
    const graph = await simulator();
    const session = new CountingSession();
    const con = connect(graph, { session });
    await con.get('me');
    graph.revokeToken('token-1');
    const created = await con.post('me/todo/lists', { json: { displayName: 'Replayed' } }).json<{ displayName: string }>();
    expect(created.displayName).toBe('Replayed');
    const crid = graph.stats.log.at(-1)!.clientRequestId!;
    expect(graph.stats.attempts[crid]).toBe(2);
    expect(graph.stats.executions[crid]).toBe(1);
  });

  it('passes the claims of a WWW-Authenticate challenge to the session', async () => {
    const graph = await simulator();
    const session = new CountingSession();
    const con = connect(graph, { session });
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}';
    graph.script('GET /v1.0/me', [{ status: 401, claims }]);
    await con.get('me').json();
    expect(session.requests.at(-1)).toMatchObject({ forceRefresh: true, claims });
  });

  it('surfaces a second 401 as GraphError, without a loop', async () => {
    const graph = await simulator();
    const session = new CountingSession();
    const con = connect(graph, { session });
    graph.script('GET /v1.0/me', [{ status: 401 }, { status: 401 }, { status: 401 }]);
    const error = await con.get('me').json().catch((e: unknown) => e);
    expect(isGraphError(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, code: 'InvalidAuthenticationToken' });
    expect(graph.stats.requests).toBe(2);
    expect(session.requests).toHaveLength(2);
  });

  it('raises GraphAuthError when acquisition fails and sends nothing', async () => {
    const graph = await simulator();
    const con = connect(graph, { session: { getAccessToken: () => Promise.reject(new Error('tenant unreachable')) } });
    const error = await con.get('me').json().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphAuthError);
    expect(isGraphAuthError(error)).toBe(true);
    expect(graph.stats.requests).toBe(0);
  });

  it('never sends "Bearer undefined" when a session resolves nothing', async () => {
    const graph = await simulator();
    const con = connect(graph, { session: { getAccessToken: async () => ({}) as never } });
    await expect(con.get('me')).rejects.toMatchObject({ errorCode: 'invalid_token_response' });
    expect(graph.stats.requests).toBe(0);
  });

  it('needs a session for authenticated calls but not for naive ones', async () => {
    const graph = await simulator({ requireAuth: false });
    const con = connect(graph, { session: undefined });
    await expect(con.get('me')).rejects.toMatchObject({ name: 'GraphAuthError', errorCode: 'no_session' });
    await expect(con.naive.get('me').json()).resolves.toMatchObject({ id: 'user-1' });
  });

  it('exposes the orchestrator through getAccessToken({ forceRefresh })', async () => {
    const graph = await simulator();
    const session = new CountingSession();
    const con = connect(graph, { session });
    expect((await con.getAccessToken()).token).toBe('token-1');
    expect((await con.getAccessToken()).token).toBe('token-1');
    expect((await con.getAccessToken({ forceRefresh: true })).token).toBe('token-2');
    await con.get('me');
    expect(graph.stats.tokensSeen).toEqual(['token-2']);
  });

  it('keeps GraphError free of the token', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const error = (await con.get('users/nope').catch((e: unknown) => e)) as GraphError;
    expect(error.status).toBe(404);
    const { inspect } = await import('node:util');
    expect(inspect(error, { depth: 6, showHidden: true })).not.toContain('static-token');
    expect(JSON.stringify(error)).not.toContain('static-token');
  });
});

describe('session invalidation', () => {
  it('drops the in-memory token when the session signs out, and unsubscribes on close', async () => {
    const { TokenInvalidation } = await import('@graphwire/core');
    const graph = await simulator();
    const invalidation = new TokenInvalidation();
    const session = Object.assign(new CountingSession(), { onInvalidate: (l: () => void) => invalidation.subscribe(l) });
    const con = connect(graph, { session });
    await con.get('me');
    await con.get('me');
    expect(session.requests).toHaveLength(1);
    invalidation.notify(); // e.g. logout, or another account chosen
    await con.get('me');
    expect(session.requests).toHaveLength(2);
    expect(graph.stats.tokensSeen).toEqual(['token-1', 'token-2']);
    await con.close();
    invalidation.notify(); // no longer reaches the closed connection
  });
});
