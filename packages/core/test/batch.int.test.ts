import { describe, expect, it } from 'vitest';
import { type BatchRequest, isGraphError } from '@graphwire/core';
import { connect, simulator } from './support.js';

const fast = { retries: { backoffBase: 20, backoffLimit: 50 } };

describe('con.batch', () => {
  it('returns results in input order with statuses, bodies and a GraphError per failed item', async () => {
    const graph = await simulator({ users: 5 });
    const con = connect(graph);
    const results = await con.batch([
      { method: 'GET', url: 'me' },
      { id: 'u2', method: 'GET', url: '/users/user-2?$select=displayName' },
      { method: 'GET', url: `${graph.url}/v1.0/users/nobody` },
      { id: 'list', method: 'POST', url: 'me/todo/lists', body: { displayName: 'Groceries' } },
    ]);
    expect(results.map((r) => [r.id, r.status])).toEqual([['1', 200], ['u2', 200], ['2', 404], ['list', 201]]);
    expect((results[0]!.body as { displayName: string }).displayName).toBe('User 1');
    expect(results[1]!.body).toMatchObject({ displayName: 'User 2' });
    expect(results[1]!.body).not.toHaveProperty('mail');
    expect(results[3]!.body).toMatchObject({ displayName: 'Groceries' });
    const error = results[2]!.error!;
    expect(isGraphError(error)).toBe(true);
    expect([error.status, error.code, error.method]).toEqual([404, 'itemNotFound', 'GET']);
    expect(error.requestId).toMatch(/\S/);
    expect(error.message).toContain('/users/nobody');
    expect(results.filter((r) => r.error)).toHaveLength(1);

    // One authenticated POST; its items carry no Authorization, and Graph's relative URLs.
    expect(graph.stats.requests).toBe(1);
    expect(graph.stats.log[0]).toMatchObject({ method: 'POST', path: '/v1.0/$batch', authorized: true });
    expect(graph.stats.subRequestLog.map((s) => s.url)).toEqual(['/me', '/users/user-2?$select=displayName', '/users/nobody', '/me/todo/lists']);
    expect(graph.stats.subRequestLog.every((s) => s.headers.authorization === undefined)).toBe(true);
    expect(graph.stats.subRequestLog[3]!.headers['content-type']).toBe('application/json');
  });

  it('95 requests with dependency chains across the 20 boundary, throttled items and a 404 with a dependent', async () => {
    const graph = await simulator({ users: 100 });
    const con = connect(graph, fast);
    const requests: BatchRequest[] = [];
    for (let i = 1; i <= 95; i++) requests.push({ id: `r${i}`, method: 'GET', url: `users/user-${i}` });
    // Chains: r18 → r19 → r20 → r21 → r22 straddle the first boundary; r40 → r41 → r42; r60 → r61 (r60 is a 404).
    for (const [from, to] of [[19, 18], [20, 19], [21, 20], [22, 21], [41, 40], [42, 41], [61, 60]] as const) requests[from - 1]!.dependsOn = [`r${to}`];
    requests[59]!.url = 'users/nobody';
    requests[39]!.url = 'me';
    // r5 and r19 are throttled twice each, r40 once (its dependents r41, r42 get 424 and go with it).
    graph.script('GET /v1.0/users/user-5', [{ status: 429, retryAfter: 1 }, { status: 429, retryAfter: 1 }]);
    graph.script('GET /v1.0/users/user-19', [{ status: 429, retryAfter: 1 }, { status: 429, retryAfter: 1 }]);
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 1 }]);
    const progress: number[] = [];
    const results = await con.batch(requests, { onProgress: (done, total) => progress.push(done * 1000 + total) });

    expect(results.map((r) => r.id)).toEqual(requests.map((r) => r.id));
    const statusOf = (id: string) => results.find((r) => r.id === id)!.status;
    expect(results.filter((r) => r.status === 200)).toHaveLength(93);
    expect([statusOf('r60'), statusOf('r61')]).toEqual([404, 424]);
    expect(results.find((r) => r.id === 'r61')!.error?.status).toBe(424);
    for (const id of ['r5', 'r19', 'r20', 'r21', 'r22', 'r40', 'r41', 'r42']) expect(statusOf(id)).toBe(200);
    expect((results[4]!.body as { id: string }).id).toBe('user-5');
    expect(progress).toHaveLength(95);
    expect(progress.at(-1)).toBe(95_095);

    // Every call held at most 20 items, each chain travelled whole and in order, and nothing carried a token.
    const calls = new Map<number, string[]>();
    for (const sub of graph.stats.subRequestLog) calls.set(sub.batch, [...(calls.get(sub.batch) ?? []), sub.id]);
    for (const ids of calls.values()) {
      expect(ids.length).toBeLessThanOrEqual(20);
      // Chain members present in a call come in chain order; the first round sends the whole chain.
      const chain = ['r18', 'r19', 'r20', 'r21', 'r22'].map((id) => ids.indexOf(id)).filter((i) => i >= 0);
      expect(chain).toEqual([...chain].sort((a, b) => a - b));
      if (ids.includes('r18')) expect(chain).toHaveLength(5);
    }
    expect(graph.stats.subRequestLog.every((s) => s.headers.authorization === undefined)).toBe(true);
    // 95 items in 5 first-round calls, then the throttled ones again: r5 and r19 three times each.
    const sent = (id: string) => graph.stats.subRequestLog.filter((s) => s.id === id).length;
    expect([sent('r5'), sent('r19'), sent('r20'), sent('r40'), sent('r42'), sent('r60'), sent('r61'), sent('r1')]).toEqual([3, 3, 3, 2, 2, 1, 1, 1]);
    // 5 first-round calls; each throttled group comes back in a call of its own at worst (3, then 2).
    expect(graph.stats.batches).toBeLessThanOrEqual(5 + 3 + 2);
    expect(graph.stats.requests).toBe(graph.stats.batches);
  });

  it('waits out a sub-request Retry-After and pauses the host for the whole connection', async () => {
    const graph = await simulator();
    const con = connect(graph);
    graph.script('GET /v1.0/users/user-2', [{ status: 429, retryAfter: 1 }]);
    let direct: Promise<unknown> | undefined;
    const results = await con.batch([{ method: 'GET', url: 'users/user-1' }, { method: 'GET', url: 'users/user-2' }], {
      onProgress: () => { direct ??= con.get('me').json(); }, // sent while the host is paused
    });
    await direct;
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const times = graph.stats.log.map((r) => [r.path, r.time] as const);
    const [first, second] = times.filter(([path]) => path === '/v1.0/$batch').map(([, t]) => t);
    const me = times.find(([path]) => path === '/v1.0/me')![1];
    expect(second! - first!).toBeGreaterThanOrEqual(950);
    expect(me - first!).toBeGreaterThanOrEqual(950);
  });

  it('gives up on an item after the retry limit, and retries a 503 POST only with Retry-After', async () => {
    const graph = await simulator();
    const con = connect(graph, { retries: { limit: 2, backoffBase: 10, backoffLimit: 20 } });
    graph.script('GET /v1.0/users/user-3', Array.from({ length: 5 }, () => ({ status: 429, retryAfter: 0 })));
    graph.script('POST /v1.0/things', [{ status: 503 }]);
    graph.script('POST /v1.0/others', [{ status: 503, retryAfter: 0 }]);
    const results = await con.batch([
      { method: 'GET', url: 'users/user-3' },
      { method: 'POST', url: 'things', body: { a: 1 } },
      { method: 'POST', url: 'others', body: { b: 2 } },
    ]);
    expect(results.map((r) => r.status)).toEqual([429, 503, 201]);
    expect(results[0]!.error?.code).toBe('TooManyRequests');
    expect(results[0]!.error?.retryAfterMs).toBe(0);
    const sent = (url: string) => graph.stats.subRequestLog.filter((s) => s.url === url).length;
    expect([sent('/users/user-3'), sent('/things'), sent('/others')]).toEqual([3, 1, 2]);
  });

  it('a dependent of a failed and a throttled request stays 424: it is never sent again', async () => {
    const graph = await simulator();
    const con = connect(graph, fast);
    graph.script('GET /v1.0/users/user-2', [{ status: 429, retryAfter: 0 }]);
    const results = await con.batch([
      { id: 'a', method: 'GET', url: 'users/nobody' },
      { id: 'b', method: 'GET', url: 'users/user-2' },
      { id: 'c', method: 'POST', url: 'things', body: { n: 1 }, dependsOn: ['a', 'b'] },
      { id: 'd', method: 'GET', url: 'me', dependsOn: ['b'] },
    ]);
    expect(results.map((r) => `${r.id} ${r.status}`)).toEqual(['a 404', 'b 200', 'c 424', 'd 200']);
    const sent = (id: string) => graph.stats.subRequestLog.filter((s) => s.id === id).length;
    expect([sent('a'), sent('b'), sent('c'), sent('d')]).toEqual([1, 2, 1, 2]);
    expect(graph.stats.log.filter((r) => r.path === '/v1.0/things')).toHaveLength(0);
  });

  it('a $batch call that fails as a whole fails its own items; the other calls still count', async () => {
    for (const raiseHttpErrors of [true, false]) {
      const graph = await simulator();
      const con = connect(graph, { ...fast, raiseHttpErrors });
      graph.script('POST /v1.0/$batch', [{ status: 500 }]); // a POST: not retried, its items may or may not have run
      const results = await con.batch(
        [{ method: 'GET', url: 'users/user-1' }, { method: 'GET', url: 'users/user-2' }, { method: 'GET', url: 'users/user-3' }, { method: 'GET', url: 'users/nobody' }],
        { maxPerBatch: 2, concurrency: 1 },
      );
      expect(results.map((r) => r.status)).toEqual([500, 500, 200, 404]);
      expect(isGraphError(results[0]!.error)).toBe(true);
      expect(results[0]!.error!.url).toMatch(/\/v1\.0\/\$batch$/);
      expect(results[3]!.error!.code).toBe('itemNotFound');
    }
  });

  it('checks each request\'s keys and method, and sends bytes declared as JSON as JSON', async () => {
    const graph = await simulator();
    const con = connect(graph);
    await expect(con.batch([{ method: 'GET', url: 'me', header: { a: 'b' } } as BatchRequest])).rejects.toThrow(/batch: request "1": unknown option 'header' \(did you mean 'headers'\?\)/);
    await expect(con.batch([{ method: 'FOO', url: 'me' }])).rejects.toThrow(/needs a method that \$batch runs: GET, POST, PUT, PATCH, DELETE/);
    const [created] = await con.batch([{ method: 'POST', url: 'things', body: new TextEncoder().encode('{"displayName":"pre-serialised"}'), headers: { 'content-type': 'application/json' } }]);
    expect(created).toMatchObject({ status: 201, body: { displayName: 'pre-serialised' } });
    expect(graph.stats.requests).toBe(1);
  });

  it('splits by maxPerBatch and keeps at most `concurrency` calls in flight', async () => {
    const graph = await simulator({ latencyMs: 50 });
    const con = connect(graph);
    const requests = Array.from({ length: 30 }, (_, i) => ({ method: 'GET', url: `users/user-${(i % 25) + 1}` }));
    const results = await con.batch(requests, { maxPerBatch: 4, concurrency: 2 });
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(graph.stats.batches).toBe(8);
    expect(graph.stats.maxInFlight).toBeLessThanOrEqual(2);
    expect(graph.stats.maxInFlight).toBe(2);
  });

  it('sends bytes base64 with their content type and returns binary bodies as Uint8Array', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const bytes = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 256);
    const [put] = await con.batch([{ method: 'PUT', url: 'me/drive/root:/bin/a.bin:/content', body: bytes, headers: { 'Content-Type': 'application/octet-stream' } }]);
    expect(put!.status).toBe(201);
    expect(put!.body).toMatchObject({ name: 'a.bin', size: 3000 });
    const [blobPut] = await con.batch([{ method: 'PUT', url: 'me/drive/root:/bin/b.txt:/content', body: new Blob(['hello batch'], { type: 'text/plain' }) }]);
    expect(blobPut!.body).toMatchObject({ size: 11 });
    expect(graph.stats.subRequestLog[1]!.headers['content-type']).toBe('text/plain');
    const [content, text] = await con.batch([
      { method: 'GET', url: 'me/drive/root:/bin/a.bin:/content' },
      { method: 'GET', url: 'me/drive/root:/bin/b.txt:/content' },
    ]);
    expect(content!.body).toBeInstanceOf(Uint8Array);
    expect(content!.body).toEqual(bytes);
    expect(new TextDecoder().decode(text!.body as Uint8Array)).toBe('hello batch');
  });

  it('refuses bad input with a TypeError before anything is sent', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const refused = async (requests: unknown, options?: unknown) => {
      const error = await con.batch(requests as BatchRequest[], options as never).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      return (error as Error).message;
    };
    expect(await refused([{ method: 'GET', url: 'https://elsewhere.test/v1.0/me' }])).toMatch(/^\[@graphwire\/core\] batch: https:\/\/elsewhere.test\/v1.0\/me is not under the connection's base URL/);
    expect(await refused([{ method: 'GET', url: `${graph.url}/beta/me` }])).toMatch(/not under the connection's base URL/);
    expect(await refused([{ url: 'me' }])).toMatch(/needs a method/);
    expect(await refused([{ id: 'a', method: 'GET', url: 'me' }, { id: 'a', method: 'GET', url: 'me' }])).toMatch(/duplicate id "a"/);
    expect(await refused([{ id: 'a', method: 'GET', url: 'me', dependsOn: ['b'] }])).toMatch(/names no request/);
    expect(await refused([{ id: 'a', method: 'GET', url: 'me', dependsOn: ['b'] }, { id: 'b', method: 'GET', url: 'me', dependsOn: ['a'] }])).toMatch(/cycle/);
    const chain = Array.from({ length: 5 }, (_, i) => ({ id: `c${i}`, method: 'GET', url: 'me', dependsOn: i ? [`c${i - 1}`] : [] }));
    expect(await refused(chain, { maxPerBatch: 4 })).toMatch(/must travel in one \$batch call, but maxPerBatch is 4/);
    expect(await refused([], { maxPerBatch: 21 })).toMatch(/option 'maxPerBatch' must be a whole number from 1 to 20/);
    expect(await refused([], { concurency: 2 })).toMatch(/unknown option 'concurency' \(did you mean 'concurrency'\?\)/);
    expect(graph.stats.requests).toBe(0);
    expect(await con.batch([])).toEqual([]);
  });

  it('a signal stops it: the batch rejects with the signal reason', async () => {
    const graph = await simulator();
    const con = connect(graph);
    graph.script('GET /v1.0/users/user-1', [{ status: 429, retryAfter: 30 }]);
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const running = con.batch([{ method: 'GET', url: 'users/user-1' }, { method: 'GET', url: 'me' }], {
      signal: controller.signal,
      onProgress: () => setTimeout(() => controller.abort(reason), 50),
    });
    await expect(running).rejects.toBe(reason);
    expect(graph.stats.batches).toBe(1);

    const timeout = await con.batch([{ method: 'GET', url: 'me' }], { signal: AbortSignal.timeout(1) }).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(DOMException);
    expect((timeout as DOMException).name).toBe('TimeoutError');
  });
});
