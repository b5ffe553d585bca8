// Microsoft's typed client (Kiota's msgraph-sdk) on graphwire's pipeline through con.fetch:
// Kiota brings no auth of its own; graphwire adds the token, retries and throttling.
import { AnonymousAuthenticationProvider } from '@microsoft/kiota-abstractions';
import { DefaultRequestAdapter } from '@microsoft/kiota-bundle';
import { HttpClient, UrlReplaceHandler, UrlReplaceHandlerOptions } from '@microsoft/kiota-http-fetchlibrary';
import { createGraphServiceClient } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-users';
import { describe, expect, it } from 'vitest';
import type { Connection } from '@graphwire/core';
import { CountingSession, connect, simulator } from './support.js';

function graphClient(con: Connection) {
  // Kiota's `me` builder is `/users/{user-id}` with a placeholder that UrlReplaceHandler maps back to `/me`.
  const http = new HttpClient(con.fetch, new UrlReplaceHandler(new UrlReplaceHandlerOptions({
    enabled: true, urlReplacements: { '/users/TokenToReplace': '/me' },
  })));
  const adapter = new DefaultRequestAdapter(new AnonymousAuthenticationProvider(), undefined, undefined, http);
  adapter.baseUrl = con.baseUrl;
  return createGraphServiceClient(adapter);
}

describe("Microsoft's typed client on con.fetch", () => {
  it('reads me with graphwire\'s bearer token and none of its own', async () => {
    const graph = await simulator();
    const session = new CountingSession();
    const con = connect(graph, { session });
    const client = graphClient(con);
    const me = await client.me.get();
    expect(me).toMatchObject({ id: 'user-1', displayName: 'User 1' });
    const [record] = graph.stats.log;
    expect(record).toMatchObject({ method: 'GET', path: '/v1.0/me', token: 'token-1' });
    expect(record!.headers.authorization).toBe('Bearer token-1');
    expect(record!.headers.sdkversion).toMatch(/^graphwire\//);
    expect(record!.headers['client-request-id']).toBeTruthy();
    expect(graph.stats.tokensSeen).toEqual(['token-1']); // Kiota's anonymous provider added nothing
  });

  it('pages users across @odata.nextLink, every page with the token, one acquisition', async () => {
    const graph = await simulator({ users: 7 });
    const session = new CountingSession();
    const con = connect(graph, { session });
    const client = graphClient(con);
    const names: string[] = [];
    let page = await client.users.get({ queryParameters: { top: 3, select: ['displayName'] } });
    for (;;) {
      names.push(...(page?.value ?? []).map((u) => u.displayName ?? '?'));
      const next = page?.odataNextLink;
      if (!next) break;
      page = await client.users.withUrl(next).get();
    }
    expect(names).toEqual(['User 1', 'User 2', 'User 3', 'User 4', 'User 5', 'User 6', 'User 7']);
    expect(graph.stats.byRoute['GET /v1.0/users']).toBe(3);
    expect(graph.stats.log.every((r) => r.headers.authorization === 'Bearer token-1')).toBe(true);
    expect(graph.stats.log[0]!.query).toMatchObject({ $top: '3', $select: 'displayName' });
    expect(session.requests).toHaveLength(1);
  });

  it('gets graphwire\'s retries, throttling pause and refresh on 401', async () => {
    const graph = await simulator();
    const session = new CountingSession();
    const con = connect(graph, { session });
    const client = graphClient(con);
    graph.script('GET /v1.0/users/user-2', [{ status: 503 }, { status: 429, retryAfter: 0 }]);
    await expect(client.users.byUserId('user-2').get()).resolves.toMatchObject({ id: 'user-2' });
    expect(graph.stats.byRoute['GET /v1.0/users/user-2']).toBe(3);
    graph.revokeToken('token-1');
    await expect(client.me.get()).resolves.toMatchObject({ id: 'user-1' });
    expect(graph.stats.tokensSeen).toEqual(['token-1', 'token-2']);
  });

  it("surfaces Graph's errors as Kiota's ODataError", async () => {
    const graph = await simulator();
    const con = connect(graph);
    const client = graphClient(con);
    const error = await client.users.byUserId('nobody').get().catch((e: unknown) => e);
    expect(error).toMatchObject({ responseStatusCode: 404 });
    expect((error as { errorEscaped?: { code?: string } }).errorEscaped?.code).toBe('itemNotFound');
  });
});
