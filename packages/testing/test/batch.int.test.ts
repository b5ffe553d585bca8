import { describe, expect, it } from 'vitest';
import { type BatchResponseItem, type GraphSimulator } from '@graphwire/testing';
import { auth, simulator, useSharedSimulator } from './support.js';

// Plain fetch over real sockets: these tests pin the simulator's $batch behaviour, not a client's.

interface BatchRequestItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

let sim!: GraphSimulator;
useSharedSimulator((started) => (sim = started));

function postBatch(body: unknown, target: GraphSimulator = sim, version = 'v1.0', headers: Record<string, string> = auth) {
  return fetch(`${target.url}/${version}/$batch`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function batch(requests: BatchRequestItem[], target: GraphSimulator = sim, version = 'v1.0') {
  const response = await postBatch({ requests }, target, version);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const { responses } = (await response.json()) as { responses: BatchResponseItem[] };
  const byId = Object.fromEntries(responses.map((r) => [r.id, r]));
  return { responses, byId, ids: responses.map((r) => r.id) };
}

const errorCode = (item: BatchResponseItem | undefined) => (item?.body as { error: { code: string } }).error.code;

describe('$batch basics', () => {
  it('runs every item through the routes and answers 200 with { responses }', async () => {
    const { byId, responses } = await batch([
      { id: '1', method: 'GET', url: '/me' },
      { id: '2', method: 'GET', url: 'users/user-2?$select=displayName' },
      { id: '3', method: 'POST', url: '/me/messages', headers: { 'content-type': 'application/json' }, body: { subject: 'Hi' } },
      { id: '4', method: 'GET', url: '/users/nobody' },
    ]);
    expect(responses).toHaveLength(4);
    expect(byId['1']).toMatchObject({ status: 200, body: { displayName: 'User 1' } });
    expect(byId['1']?.headers['Content-Type']).toMatch(/^application\/json/);
    expect(byId['2']?.body).toMatchObject({ displayName: 'User 2' });
    expect(byId['2']?.body).not.toHaveProperty('mail');
    expect(byId['3']).toMatchObject({ status: 201, body: { subject: 'Hi', id: expect.any(String) } });
    expect(byId['4']?.status).toBe(404);
    expect(errorCode(byId['4'])).toBe('itemNotFound');
    expect(byId['4']?.body).toMatchObject({ error: { innerError: { 'request-id': expect.any(String) } } });
  });

  it('counts the batch as one HTTP request and logs every item', async () => {
    await batch([
      { id: 'a', method: 'GET', url: '/me', headers: { 'Client-Request-Id': 'item-a' } },
      { id: 'b', method: 'get', url: '/users' },
    ]);
    expect(sim.stats.requests).toBe(1);
    expect(sim.stats.byRoute).toEqual({ 'POST /v1.0/$batch': 1 });
    expect(sim.stats.batches).toBe(1);
    expect(sim.stats.subRequests).toBe(2);
    expect(sim.stats.subRequestLog).toEqual([
      { batch: 0, id: 'a', method: 'GET', url: '/me', status: 200, headers: { 'client-request-id': 'item-a' } },
      { batch: 0, id: 'b', method: 'GET', url: '/users', status: 200, headers: {} },
    ]);
    // Items count as executions under their own client-request-id.
    expect(sim.stats.executions['item-a']).toBe(1);
    await batch([{ id: 'c', method: 'GET', url: '/me' }]);
    expect(sim.stats.subRequestLog[2]).toMatchObject({ batch: 1, id: 'c' });
    sim.reset();
    expect(sim.stats).toMatchObject({ batches: 0, subRequests: 0, subRequestLog: [] });
  });

  it('serves /beta/$batch with items under /beta', async () => {
    const { byId } = await batch([{ id: '1', method: 'GET', url: '/me' }], sim, 'beta');
    expect(byId['1']?.status).toBe(200);
    expect((byId['1']?.body as Record<string, string>)['@odata.context']).toContain('/beta/');
  });

  it('refuses an item url that repeats the version, and a nested $batch', async () => {
    const { byId } = await batch([
      { id: '1', method: 'GET', url: '/v1.0/me' },
      { id: '2', method: 'POST', url: '/$batch', body: { requests: [] } },
    ]);
    expect(byId['1']?.status).toBe(400);
    expect(byId['2']?.status).toBe(400);
  });
});

describe('$batch validation', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['not JSON', '{"requests": [', /Invalid batch payload/],
    ['no requests array', { requests: 'GET /me' }, /Invalid batch payload/],
    ['an empty batch', { requests: [] }, /no requests/],
    ['more than 20 requests', { requests: Array.from({ length: 21 }, (_, i) => ({ id: `${i}`, method: 'GET', url: '/me' })) }, /Maximum number of requests in a batch is 20/],
    ['an item without id', { requests: [{ method: 'GET', url: '/me' }] }, /'id'/],
    ['an item without method', { requests: [{ id: '1', url: '/me' }] }, /'method'/],
    ['an item without url', { requests: [{ id: '1', method: 'GET' }] }, /'url'/],
    ['duplicate ids', { requests: [{ id: '1', method: 'GET', url: '/me' }, { id: '1', method: 'GET', url: '/users' }] }, /more than once/],
    ['dependsOn an unknown id', { requests: [{ id: '1', method: 'GET', url: '/me', dependsOn: ['9'] }] }, /'9', which is not in the batch/],
    ['a dependsOn cycle', { requests: [{ id: '1', method: 'GET', url: '/me', dependsOn: ['2'] }, { id: '2', method: 'GET', url: '/me', dependsOn: ['1'] }] }, /cycle/],
    ['an absolute url', { requests: [{ id: '1', method: 'GET', url: 'https://graph.microsoft.com/v1.0/me' }] }, /absolute url/],
  ];
  it.each(cases)('answers %s with 400 BadRequest for the whole batch', async (_, body, message) => {
    const response = await postBatch(body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('BadRequest');
    expect(error.message).toMatch(message);
    expect(sim.stats.subRequests).toBe(0);
  });

  it('accepts exactly 20 requests', async () => {
    const { responses } = await batch(Array.from({ length: 20 }, (_, i) => ({ id: `${i}`, method: 'GET', url: '/me' })));
    expect(responses).toHaveLength(20);
  });
});

describe('$batch ordering and dependsOn', () => {
  const five = ['1', '2', '3', '4', '5'].map((id) => ({ id, method: 'GET', url: '/me' }));

  it('shuffles responses by default, deterministically, never in input order', async () => {
    const first = await batch(five);
    expect(first.ids).not.toEqual(['1', '2', '3', '4', '5']);
    expect([...first.ids].sort()).toEqual(['1', '2', '3', '4', '5']);
    const two = await batch(five.slice(0, 2));
    expect(two.ids).toEqual(['2', '1']);
    const other = await simulator();
    expect((await batch(five, other)).ids).toEqual(first.ids);
  });

  it('can answer in reversed or input order', async () => {
    expect((await batch(five, await simulator({ batchResponseOrder: 'reversed' }))).ids).toEqual(['5', '4', '3', '2', '1']);
    expect((await batch(five, await simulator({ batchResponseOrder: 'input' }))).ids).toEqual(['1', '2', '3', '4', '5']);
  });

  it('runs an item after the items it depends on', async () => {
    const { byId } = await batch([
      { id: 'read', method: 'GET', url: '/me/notes/n1', dependsOn: ['write'] },
      { id: 'write', method: 'PUT', url: '/me/notes/n1', headers: { 'content-type': 'application/json' }, body: { text: 'x' } },
      { id: 'patch', method: 'PATCH', url: '/me/notes/n1', dependsOn: ['read'], headers: { 'content-type': 'application/json' }, body: { text: 'y' } },
    ]);
    expect(byId['write']?.status).toBe(201);
    expect(byId['read']).toMatchObject({ status: 200, body: { text: 'x' } });
    expect(byId['patch']).toMatchObject({ status: 200, body: { text: 'y' } });
  });

  it('does not run an item whose dependency failed: 424 FailedDependency, transitively', async () => {
    const { byId } = await batch([
      { id: 'missing', method: 'GET', url: '/users/nobody' },
      { id: 'child', method: 'POST', url: '/me/events', dependsOn: ['missing'], body: {} },
      { id: 'grandchild', method: 'GET', url: '/me', dependsOn: ['child'] },
      { id: 'fine', method: 'GET', url: '/me' },
    ]);
    expect(byId['child']?.status).toBe(424);
    expect(errorCode(byId['child'])).toBe('FailedDependency');
    expect(byId['grandchild']?.status).toBe(424);
    expect(byId['fine']?.status).toBe(200);
    expect((await (await fetch(`${sim.url}/v1.0/me/events`, { headers: auth })).json()).value).toEqual([]);
    expect(sim.stats.subRequestLog.map((r) => r.status)).toEqual([404, 424, 424, 200]);
  });
});

describe('$batch faults and throttling per item', () => {
  it('lets a scripted fault answer the next matching item, with Retry-After', async () => {
    sim.script('GET /v1.0/users/user-3', [{ status: 429, retryAfter: 1 }, { status: 503, retryAfter: 2 }]);
    const { byId } = await batch([
      { id: 'u2', method: 'GET', url: '/users/user-2' },
      { id: 'u3', method: 'GET', url: '/users/user-3' },
    ]);
    expect(byId['u2']?.status).toBe(200);
    expect(byId['u3']).toMatchObject({ status: 429, headers: { 'Retry-After': '1' } });
    expect(errorCode(byId['u3'])).toBe('TooManyRequests');
    // The same queue serves direct requests: the second fault goes to one, then normal behaviour.
    expect((await fetch(`${sim.url}/v1.0/users/user-3`, { headers: auth })).status).toBe(503);
    const again = await batch([{ id: 'u3', method: 'GET', url: '/users/user-3' }]);
    expect(again.byId['u3']?.status).toBe(200);
  });

  it('answers a reset on an item with 504, after executing it when execute is set', async () => {
    sim.script('POST /v1.0/me/events', [{ reset: true }, { reset: true, execute: true }]);
    const item = (id: string) => ({ id, method: 'POST', url: '/me/events', body: { subject: id }, headers: { 'content-type': 'application/json' } });
    // Items without dependencies start in input order, so 'lost' takes the first fault.
    const { byId } = await batch([item('lost'), item('ran')]);
    expect(byId['lost']?.status).toBe(504);
    expect(errorCode(byId['lost'])).toBe('GatewayTimeout');
    expect(byId['ran']?.status).toBe(504);
    const events = (await (await fetch(`${sim.url}/v1.0/me/events`, { headers: auth })).json()).value;
    expect(events).toEqual([expect.objectContaining({ subject: 'ran' })]);
  });

  it('faults the outer request like any request: no item runs', async () => {
    sim.script('POST /v1.0/$batch', [{ status: 503, retryAfter: 3 }]);
    const response = await postBatch({ requests: [{ id: '1', method: 'GET', url: '/me' }] });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(sim.stats).toMatchObject({ requests: 1, batches: 0, subRequests: 0 });
  });

  it('needs a bearer on the outer request', async () => {
    const response = await postBatch({ requests: [{ id: '1', method: 'GET', url: '/me' }] }, sim, 'v1.0', {});
    expect(response.status).toBe(401);
    expect(sim.stats.batches).toBe(0);
  });

  it('spends one unit of the token budget per item, plus one for the batch', async () => {
    const throttled = await simulator({ throttle: { limit: 3, windowMs: 60_000, retryAfterSeconds: 9 } });
    const items = ['1', '2', '3', '4'].map((id) => ({ id, method: 'GET', url: '/me', headers: { 'client-request-id': `c${id}` } }));
    const { responses } = await batch(items, throttled);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429]);
    for (const item of responses.filter((r) => r.status === 429)) {
      expect(item.headers['Retry-After']).toBe('9');
      expect(errorCode(item)).toBe('TooManyRequests');
    }
    // Throttled items were not executed.
    expect(Object.values(throttled.stats.executions).reduce((a, b) => a + b, 0)).toBe(2);
    // The budget is spent: the next batch itself is refused.
    expect((await postBatch({ requests: items }, throttled)).status).toBe(429);
  });
});

describe('$batch headers and bodies', () => {
  it('refuses an item carrying Authorization with 400 and records it', async () => {
    const { byId } = await batch([
      { id: 'leak', method: 'GET', url: '/me', headers: { Authorization: 'Bearer test-token' } },
      { id: 'fine', method: 'GET', url: '/me' },
    ]);
    expect(byId['leak']?.status).toBe(400);
    expect(errorCode(byId['leak'])).toBe('BadRequest');
    expect(byId['fine']?.status).toBe(200);
    const leaked = sim.stats.subRequestLog.filter((r) => r.headers.authorization !== undefined);
    expect(leaked.map((r) => r.id)).toEqual(['leak']);
  });

  it('decodes base64 request bodies and encodes non-JSON response bodies as base64', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 10, 13]);
    const { byId } = await batch([
      {
        id: 'put',
        method: 'PUT',
        url: '/me/drive/root:/raw/b.bin:/content',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes.toString('base64'),
      },
      { id: 'get', method: 'GET', url: '/me/drive/root:/raw/b.bin:/content', dependsOn: ['put'] },
      { id: 'text', method: 'GET', url: '/me/drive/root:/raw/b.bin', dependsOn: ['put'] },
    ]);
    expect(byId['put']).toMatchObject({ status: 201, body: { name: 'b.bin', size: bytes.length } });
    expect(byId['get']?.headers['Content-Type']).toBe('application/octet-stream');
    expect(Buffer.from(byId['get']?.body as string, 'base64')).toEqual(bytes);
    expect(byId['text']?.body).toMatchObject({ file: { mimeType: 'application/octet-stream' } });
  });

  it('sends a scripted raw body as base64 with its content type, and JSON ones as JSON', async () => {
    sim.script('GET /v1.0/me/photo/$value', [{ status: 200, body: 'GIF89a', contentType: 'image/gif' }]);
    sim.script('GET /v1.0/me/settings', [{ status: 200, body: '{"a":1}', contentType: 'application/json' }]);
    const { byId } = await batch([
      { id: 'photo', method: 'GET', url: '/me/photo/$value' },
      { id: 'json', method: 'GET', url: '/me/settings' },
    ]);
    expect(byId['photo']).toMatchObject({ status: 200, headers: { 'Content-Type': 'image/gif' } });
    expect(Buffer.from(byId['photo']?.body as string, 'base64').toString()).toBe('GIF89a');
    expect(byId['json']?.body).toEqual({ a: 1 });
  });

  it('refuses a non-base64 body under a non-JSON content type', async () => {
    const { byId } = await batch([
      { id: '1', method: 'PUT', url: '/me/drive/root:/x.txt:/content', headers: { 'content-type': 'text/plain' }, body: { not: 'base64' } },
    ]);
    expect(byId['1']?.status).toBe(400);
  });
});
