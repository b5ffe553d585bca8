import assert from 'node:assert/strict';
import { describe, expect, it } from 'vitest';
import { startGraphSimulator, type GraphSimulator } from '@graphwire/testing';
import { auth, simulator, useSharedSimulator } from './support.js';

const GRAPH_JSON =
  'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
const GRAPH_CHALLENGE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface GraphErrorJson {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string; 'client-request-id': string } };
}

let sim!: GraphSimulator;
useSharedSimulator((started) => (sim = started));

function get(path: string, headers: Record<string, string> = auth): Promise<Response> {
  return fetch(`${sim.url}${path}`, { headers });
}

function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method,
    headers: { ...auth, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
  });
}

async function errorOf(response: Response): Promise<GraphErrorJson['error']> {
  return ((await response.json()) as GraphErrorJson).error;
}

describe('README example', () => {
  it('runs as written', async () => {
    const sim = await startGraphSimulator({ users: 3 });
    try {
      const headers = { authorization: 'Bearer any-token' };

      // Normal behaviour: Graph's JSON, headers and paging.
      const me = await fetch(`${sim.url}/v1.0/me`, { headers }).then((r) => r.json());
      assert.equal(me.displayName, 'User 1');

      // Script the next two calls of a route: throttled, then unavailable. The third is normal again.
      sim.script('GET /v1.0/users', [{ status: 429, retryAfter: 2 }, { status: 503 }]);
      const first = await fetch(`${sim.url}/v1.0/users`, { headers });
      assert.equal(first.status, 429);
      assert.equal(first.headers.get('retry-after'), '2');
      assert.equal((await first.json()).error.code, 'TooManyRequests');
      assert.equal((await fetch(`${sim.url}/v1.0/users`, { headers })).status, 503);
      const users = await fetch(`${sim.url}/v1.0/users`, { headers }).then((r) => r.json());
      assert.equal(users.value.length, 3);

      // What the server saw.
      assert.equal(sim.stats.requests, 4);
      assert.equal(sim.stats.throttled, 1);
      assert.deepEqual(sim.stats.tokensSeen, ['any-token']);
    } finally {
      await sim.close();
    }
  });
});

describe('users and paging', () => {
  it('serves /me and seeded users under both versions', async () => {
    const me = await (await get('/v1.0/me')).json();
    expect(me).toEqual({
      '@odata.context': `${sim.url}/v1.0/$metadata#users/$entity`,
      id: 'user-1',
      displayName: 'User 1',
      userPrincipalName: 'user1@contoso.test',
      mail: 'user1@contoso.test',
    });
    expect((await (await get('/beta/users/user-7')).json()).displayName).toBe('User 7');
    expect((await (await get('/v1.0/users/USER12@contoso.test')).json()).id).toBe('user-12');
  });

  it('merges the me option over user-1', async () => {
    const custom = await simulator({ me: { displayName: 'Adele Vance', jobTitle: 'Retail Manager' } });
    const me = await (await fetch(`${custom.url}/v1.0/me`, { headers: auth })).json();
    expect(me).toMatchObject({ id: 'user-1', displayName: 'Adele Vance', jobTitle: 'Retail Manager' });
  });

  it('pages through every user by following absolute nextLinks', async () => {
    const ids: string[] = [];
    let next: string | undefined = `${sim.url}/v1.0/users?$top=7`;
    let pages = 0;
    while (next) {
      expect(next.startsWith(`${sim.url}/v1.0/users?`)).toBe(true);
      const page = (await (await fetch(next, { headers: auth })).json()) as {
        '@odata.context': string;
        '@odata.nextLink'?: string;
        value: { id: string }[];
      };
      expect(page['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#users`);
      ids.push(...page.value.map((user) => user.id));
      next = page['@odata.nextLink'];
      if (next) expect(next).toMatch(/[?&]\$skiptoken=[^&]+/);
      pages++;
    }
    expect(pages).toBe(4);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `user-${i + 1}`));
  });

  it('uses 10 as the default page size and keeps $select across pages', async () => {
    const first = await (await get('/v1.0/users?$select=id,displayName')).json();
    expect(first.value).toHaveLength(10);
    expect(first.value[0]).toEqual({ id: 'user-1', displayName: 'User 1' });
    expect(first['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#users(id,displayName)`);
    const second = await (await fetch(first['@odata.nextLink'], { headers: auth })).json();
    expect(second.value[0]).toEqual({ id: 'user-11', displayName: 'User 11' });
  });

  it('rejects a $top over 999 and a forged $skiptoken', async () => {
    const tooBig = await get('/v1.0/users?$top=1000');
    expect(tooBig.status).toBe(400);
    expect((await errorOf(tooBig)).code).toBe('BadRequest');
    expect((await get('/v1.0/users?$skiptoken=forged')).status).toBe(400);
    expect((await (await get('/v1.0/users?$top=999')).json()).value).toHaveLength(25);
  });

  it('answers an unknown user with 404 itemNotFound', async () => {
    const response = await get('/v1.0/users/nobody');
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('itemNotFound');
  });
});

describe('generic resources', () => {
  it('creates, reads, lists, merges, replaces and deletes', async () => {
    const created = await send('POST', '/v1.0/me/todo/lists', { displayName: 'Groceries' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBeNull();
    const list = await created.json();
    expect(list).toEqual({ id: expect.stringMatching(UUID), displayName: 'Groceries' });

    expect(await (await get(`/v1.0/me/todo/lists/${list.id}`)).json()).toEqual(list);
    expect(await (await get('/beta/me/todo/lists')).json()).toEqual({ value: [list] });

    const patched = await send('PATCH', `/v1.0/me/todo/lists/${list.id}`, { wellknownListName: 'none' });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({ ...list, wellknownListName: 'none' });

    const replaced = await send('PUT', `/v1.0/me/todo/lists/${list.id}`, { displayName: 'Chores' });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toEqual({ id: list.id, displayName: 'Chores' });
    const put = await send('PUT', '/v1.0/me/todo/lists/fixed-id', { displayName: 'New' });
    expect(put.status).toBe(201);

    const deleted = await send('DELETE', `/v1.0/me/todo/lists/${list.id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    const gone = await get(`/v1.0/me/todo/lists/${list.id}`);
    expect(gone.status).toBe(404);
    expect((await errorOf(gone)).code).toBe('itemNotFound');
    expect((await send('PATCH', '/v1.0/me/todo/lists/missing', {})).status).toBe(404);
    expect((await send('DELETE', '/v1.0/me/todo/lists/missing')).status).toBe(404);
  });

  it('lists an untouched collection as empty', async () => {
    expect(await (await get('/v1.0/groups')).json()).toEqual({ value: [] });
  });

  it('refuses malformed and non-object JSON bodies with 400 BadRequest', async () => {
    const malformed = await send('POST', '/v1.0/me/messages', '{"subject": ');
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).code).toBe('BadRequest');
    expect((await send('POST', '/v1.0/me/messages', '[1, 2]')).status).toBe(400);
    expect((await get('/v1.0/me/messages')).status).toBe(200);
    expect((await (await get('/v1.0/me/messages')).json()).value).toEqual([]);
  });

  it('forgets created resources on reset but keeps seeded users', async () => {
    await send('POST', '/v1.0/groups', { displayName: 'G' });
    sim.reset();
    expect(await (await get('/v1.0/groups')).json()).toEqual({ value: [] });
    expect((await get('/v1.0/users/user-25')).status).toBe(200);
  });
});

describe('headers and error shape', () => {
  it('puts Graph headers on every response and echoes client-request-id', async () => {
    const response = await get('/v1.0/me', { ...auth, 'client-request-id': 'my-correlation-id' });
    expect(response.headers.get('request-id')).toMatch(UUID);
    expect(response.headers.get('client-request-id')).toBe('my-correlation-id');
    expect(Number.isNaN(Date.parse(response.headers.get('date') ?? ''))).toBe(false);
    expect(response.headers.get('content-type')).toBe(GRAPH_JSON);

    const generated = await get('/v1.0/me');
    expect(generated.headers.get('client-request-id')).toMatch(UUID);
  });

  it('renders errors exactly in Graph shape with the response ids', async () => {
    const response = await get('/v1.0/users/nobody', { ...auth, 'client-request-id': 'cid-1' });
    expect(response.headers.get('content-type')).toBe(GRAPH_JSON);
    const body = (await response.json()) as GraphErrorJson;
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error)).toEqual(['code', 'message', 'innerError']);
    expect(body.error.innerError).toEqual({
      date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
      'request-id': response.headers.get('request-id'),
      'client-request-id': 'cid-1',
    });
  });

  it('answers CORS preflights without counting them', async () => {
    const preflight = await fetch(`${sim.url}/v1.0/me`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization');
    expect(sim.stats.requests).toBe(0);
    const actual = await get('/v1.0/me', { ...auth, origin: 'http://localhost:5173' });
    expect(actual.headers.get('access-control-expose-headers')).toContain('retry-after');
  });
});

describe('authentication', () => {
  it('refuses a missing bearer with "Access token is empty." and Graph\'s challenge', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer ' }, { authorization: 'Basic dXNlcjpwYXNz' }];
    for (const headers of attempts) {
      const response = await get('/v1.0/me', headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(GRAPH_CHALLENGE);
      expect(await errorOf(response)).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
    }
    expect(sim.stats.authorizationHeaders).toBe(2);
    expect(sim.stats.tokensSeen).toEqual([]);
  });

  it('refuses expired, invalid and "undefined" tokens by default', async () => {
    for (const token of ['expired-abc', 'invalid-abc', 'undefined']) {
      const response = await get('/v1.0/me', { authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(GRAPH_CHALLENGE);
      expect((await errorOf(response)).code).toBe('InvalidAuthenticationToken');
    }
    const expired = await get('/v1.0/me', { authorization: 'Bearer expired-2' });
    expect((await errorOf(expired)).message).toMatch(/expired/);
  });

  it('asks an async validator, with the request', async () => {
    const seen: string[] = [];
    const custom = await simulator({
      validateToken: async (token, request) => {
        seen.push(`${request.method} ${request.url} ${token}`);
        await Promise.resolve();
        return token === 'good' ? { valid: true, subject: 'alice' } : { valid: false, reason: 'invalid', message: 'Signature validation failed.' };
      },
    });
    expect((await fetch(`${custom.url}/v1.0/me`, { headers: { authorization: 'Bearer good' } })).status).toBe(200);
    const bad = await fetch(`${custom.url}/v1.0/me`, { headers: { authorization: 'Bearer expired-but-custom' } });
    expect(bad.status).toBe(401);
    expect((await errorOf(bad)).message).toBe('Signature validation failed.');
    expect(seen).toEqual(['GET /v1.0/me good', 'GET /v1.0/me expired-but-custom']);
  });

  it('needs no bearer with requireAuth: false', async () => {
    const open = await simulator({ requireAuth: false });
    expect((await fetch(`${open.url}/beta/me`)).status).toBe(200);
  });

  it('refuses a revoked token from then on, and only that token', async () => {
    expect((await get('/v1.0/me')).status).toBe(200);
    sim.revokeToken('test-token');
    const revoked = await get('/v1.0/me');
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toBe(GRAPH_CHALLENGE);
    expect(await errorOf(revoked)).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Access token has expired or is not yet valid.',
    });
    expect((await get('/v1.0/me', { authorization: 'Bearer fresh-token' })).status).toBe(200);
    expect(sim.stats.tokensSeen).toEqual(['test-token', 'fresh-token']);
  });

  it('sends a claims challenge from a script', async () => {
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}';
    sim.script('GET /v1.0/me', [{ claims }]);
    const response = await get('/v1.0/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`,
    );
    expect((await errorOf(response)).code).toBe('InvalidAuthenticationToken');
    expect((await get('/v1.0/me')).status).toBe(200);
  });
});

describe('scripted faults', () => {
  it('plays a status sequence in order, then resumes normal behaviour', async () => {
    sim.script('GET /v1.0/me', [{ status: 503 }, { status: 500 }, { status: 502 }, { status: 504, code: 'Custom', message: 'Nope' }]);
    const seen = [];
    for (let i = 0; i < 5; i++) {
      const response = await get('/v1.0/me');
      seen.push(response.status === 200 ? 200 : `${response.status} ${(await errorOf(response)).code}`);
    }
    expect(seen).toEqual(['503 ServiceUnavailable', '500 generalException', '502 BadGateway', '504 Custom', 200]);
    expect(sim.stats.byRoute['GET /v1.0/me']).toBe(5);
  });

  it('matches any method with * and path prefixes with /*, most specific first', async () => {
    sim.script('* /v1.0/me/*', [{ status: 500 }, { status: 500 }]);
    sim.script('POST /v1.0/me/messages', [{ status: 409 }]);
    expect((await send('POST', '/v1.0/me/messages', {})).status).toBe(409);
    expect((await send('DELETE', '/v1.0/me/messages/x')).status).toBe(500);
    expect((await send('POST', '/v1.0/me/messages', {})).status).toBe(500);
    expect((await send('POST', '/v1.0/me/messages', {})).status).toBe(201);
    expect((await get('/v1.0/me')).status).toBe(200);
    expect(() => sim.script('/v1.0/me', [])).toThrow(TypeError);
  });

  it('sends Retry-After as seconds, as an HTTP date, or verbatim garbage', async () => {
    const date = new Date(Date.now() + 5000).toUTCString();
    sim.script('GET /v1.0/me', [{ status: 429, retryAfter: 3 }, { status: 503, retryAfter: date }, { status: 503, retryAfter: 'soon-ish' }]);
    const values = [];
    for (let i = 0; i < 3; i++) values.push((await get('/v1.0/me')).headers.get('retry-after'));
    expect(values).toEqual(['3', date, 'soon-ish']);
    expect(sim.stats.throttled).toBe(1);
  });

  it('resets the connection so fetch rejects', async () => {
    sim.script('GET /v1.0/me', [{ reset: true }]);
    await expect(get('/v1.0/me')).rejects.toThrow();
    expect(sim.stats.log[0]?.status).toBe(0);
    expect((await get('/v1.0/me')).status).toBe(200);
  });

  it('delays a response by the fault latency', async () => {
    sim.script('GET /v1.0/me', [{ latencyMs: 300 }]);
    const started = performance.now();
    const response = await get('/v1.0/me');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.status).toBe(200);
  });

  it('adds a headers-only fault to the normal response', async () => {
    sim.script('GET /v1.0/me', [{ headers: { 'X-Ms-Throttle-Information': 'CommentLimit' } }]);
    const response = await get('/v1.0/me');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ms-throttle-information')).toBe('CommentLimit');
  });

  it('sends raw HTML, empty, truncated and huge bodies', async () => {
    const huge = new Uint8Array(5 * 1024 * 1024).fill(0x61);
    sim.script('GET /v1.0/me', [
      { status: 502, body: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' },
      { status: 503, body: '' },
      { status: 200, body: '{"id":"user-1","displ', contentType: 'application/json' },
      { status: 200, body: huge, contentType: 'application/octet-stream' },
    ]);
    const html = await get('/v1.0/me');
    expect([html.status, html.headers.get('content-type'), await html.text()]).toEqual([
      502,
      'text/html',
      '<html><body>Bad Gateway</body></html>',
    ]);
    const empty = await get('/v1.0/me');
    expect([empty.status, empty.headers.get('content-type'), await empty.text()]).toEqual([503, null, '']);
    await expect((await get('/v1.0/me')).json()).rejects.toThrow(SyntaxError);
    expect((await (await get('/v1.0/me')).arrayBuffer()).byteLength).toBe(huge.byteLength);
  });

  it('redirects to another origin by script and by the /redirect helper', async () => {
    const other = await simulator({ requireAuth: false });
    sim.script('GET /v1.0/me', [{ redirect: `${other.url}/v1.0/users/user-2`, redirectStatus: 307 }]);
    const manual = await fetch(`${sim.url}/v1.0/me`, { headers: auth, redirect: 'manual' });
    expect(manual.status).toBe(307);
    expect(manual.headers.get('location')).toBe(`${other.url}/v1.0/users/user-2`);

    const to = encodeURIComponent(`${other.url}/v1.0/users/user-3`);
    const followed = await get(`/v1.0/redirect?to=${to}&status=302`);
    expect(followed.url).toBe(`${other.url}/v1.0/users/user-3`);
    expect((await followed.json()).id).toBe('user-3');
    expect(other.stats.byRoute['GET /v1.0/users/user-3']).toBe(1);
    expect((await get('/v1.0/redirect?to=relative')).status).toBe(400);
  });
});

describe('throttling', () => {
  it('answers past the budget with 429 + Retry-After and does not execute', async () => {
    const throttled = await simulator({ throttle: { limit: 2, windowMs: 60_000, retryAfterSeconds: 7 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${throttled.url}/v1.0/me`, { headers: { ...auth, 'client-request-id': `c${i}` } });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toBe('7');
        expect((await errorOf(response)).code).toBe('TooManyRequests');
      }
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(throttled.stats.throttled).toBe(2);
    expect(throttled.stats.executions).toEqual({ c0: 1, c1: 1 });
    expect(throttled.stats.attempts).toEqual({ c0: 1, c1: 1, c2: 1, c3: 1 });
    // Budgets are per token.
    expect((await fetch(`${throttled.url}/v1.0/me`, { headers: { authorization: 'Bearer other' } })).status).toBe(200);
  });

  it('can send Retry-After as an HTTP date, and admits again after the window', async () => {
    const throttled = await simulator({ throttle: { limit: 1, windowMs: 200, retryAfterSeconds: 30, retryAfterFormat: 'date' } });
    const call = () => fetch(`${throttled.url}/v1.0/me`, { headers: auth });
    expect((await call()).status).toBe(200);
    const before = Date.now();
    const limited = await call();
    if (limited.status === 429) {
      const retryAt = Date.parse(limited.headers.get('retry-after') ?? '');
      expect(retryAt).toBeGreaterThanOrEqual(before + 29_000);
    } else {
      // The machine was slow enough for the 200 ms window to pass: the budget must have refilled.
      expect(limited.status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await call()).status).toBe(200);
  });
});

describe('executions and concurrency', () => {
  it('tells attempts from executions per client-request-id', async () => {
    const headers = { 'client-request-id': 'post-1' };
    sim.script('POST /v1.0/me/events', [{ status: 503, retryAfter: 1 }, { status: 504, execute: true }, { reset: true, execute: true }]);
    expect((await send('POST', '/v1.0/me/events', { subject: 'Standup' }, headers)).status).toBe(503);
    expect((await send('POST', '/v1.0/me/events', { subject: 'Standup' }, headers)).status).toBe(504);
    await expect(send('POST', '/v1.0/me/events', { subject: 'Standup' }, headers)).rejects.toThrow();
    expect((await send('POST', '/v1.0/me/events', { subject: 'Standup' }, headers)).status).toBe(201);
    expect(sim.stats.attempts['post-1']).toBe(4);
    expect(sim.stats.executions['post-1']).toBe(3);
    // The lost responses still created events: the duplicates a blind POST retry causes.
    expect((await (await get('/v1.0/me/events')).json()).value).toHaveLength(3);
  });

  it('does not execute unauthorised requests', async () => {
    await get('/v1.0/me', { 'client-request-id': 'anon' });
    expect(sim.stats.attempts).toEqual({ anon: 1 });
    expect(sim.stats.executions).toEqual({});
  });

  it('measures concurrent requests, latency included', async () => {
    const slow = await simulator({ latencyMs: 1500 });
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => fetch(`${slow.url}/v1.0/me`, { headers: auth })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(slow.stats.maxInFlight).toBe(4);
    expect(slow.stats.inFlight).toBe(0);
  });

  it('closes with requests still waiting on latency', async () => {
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    // Auth runs just before the latency, so the validator tells us the request is now waiting.
    const slow = await startGraphSimulator({ latencyMs: 60_000, validateToken: () => (arrived(), { valid: true }) });
    const pending = fetch(`${slow.url}/v1.0/me`, { headers: auth });
    await arrival;
    const started = performance.now();
    await slow.close();
    await expect(pending).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(slow.stats.inFlight).toBe(0);
  });
});

describe('stats', () => {
  it('logs each request with its details and clears in place on reset', async () => {
    const stats = sim.stats;
    await get('/v1.0/users?$top=2&$select=id', { ...auth, 'client-request-id': 'log-1', 'X-Custom': 'yes' });
    expect(stats.log).toEqual([
      {
        method: 'GET',
        path: '/v1.0/users',
        query: { $top: '2', $select: 'id' },
        status: 200,
        time: expect.any(Number),
        clientRequestId: 'log-1',
        authorized: true,
        token: 'test-token',
        headers: expect.objectContaining({ 'x-custom': 'yes', authorization: 'Bearer test-token' }),
      },
    ]);
    expect(Math.abs((stats.log[0]?.time ?? 0) - Date.now())).toBeLessThan(10_000);
    expect(stats.byRoute).toEqual({ 'GET /v1.0/users': 1 });
    sim.reset();
    expect(stats).toMatchObject({ requests: 0, byRoute: {}, log: [], tokensSeen: [], attempts: {}, executions: {} });
  });
});
