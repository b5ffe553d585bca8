import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CountingSession, connect, simulator } from './support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A plain loopback server that answers after `ms` and counts how many requests it held at once. */
async function concurrencyCounter(ms: number) {
  let active = 0;
  let max = 0;
  const server = createServer((_, response) => {
    max = Math.max(max, ++active);
    setTimeout(() => {
      active--;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }, ms);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maxInFlight: () => max, close: () => server.close() };
}

/** A fetch that records when each request is handed to it (Date.now(): the scheduler's clock) and how it was answered. */
function recordingFetch() {
  const calls: Array<{ path: string; at: number; status?: number; answeredAt?: number }> = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const call: (typeof calls)[number] = { path: new URL(input instanceof Request ? input.url : input).pathname, at: Date.now() };
    calls.push(call);
    const response = await globalThis.fetch(input, init);
    call.status = response.status;
    call.answeredAt = Date.now();
    return response;
  };
  return { calls, fetch };
}

/** Runs `total` requests through `concurrency` loops, as a batch job would; resolves to the failures. */
async function loops(total: number, concurrency: number, send: () => Promise<unknown>): Promise<number> {
  let next = 0;
  let failures = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      await send().catch(() => failures++);
    }
  }));
  return failures;
}

describe('pacing and throttling', () => {
  it('keeps requestsDelay between request starts across the connection, naive requests included', async () => {
    const graph = await simulator({ requireAuth: false });
    const con = connect(graph, { requestsDelay: 100 });
    await Promise.all([con.get('me'), con.naive.get('me'), con.get('users'), con.naive.get('users'), con.get('me')]);
    const times = graph.stats.log.map((r) => r.time).sort((a, b) => a - b);
    expect(times).toHaveLength(5);
    // Measured where the requests arrive, so connection set-up can shift one arrival by a few ms.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(60);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(360);
  });

  it('keeps requestsDelay at the wire: measured when requests reach fetch, after the wait for the first token', async () => {
    const graph = await simulator();
    const { calls, fetch } = recordingFetch();
    // The first token takes 150 ms: admitted requests wait for it, then must still go out 100 ms apart.
    const con = connect(graph, { requestsDelay: 100, session: new CountingSession(3_600_000, 150), fetch });
    await Promise.all(Array.from({ length: 5 }, (_, i) => con.get(`users/user-${i + 1}`)));
    const starts = calls.map((c) => c.at);
    expect(starts).toHaveLength(5);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(100);
  });

  it('holds a request that got its token during a 429 pause until the pause is over', async () => {
    const graph = await simulator({ requireAuth: false });
    const { calls, fetch } = recordingFetch();
    const session = new CountingSession(3_600_000, 300);
    const con = connect(graph, { session, fetch });
    graph.script('GET /v1.0/users', [{ status: 429, retryAfter: 1 }]);
    const waiting = con.get('me'); // admitted at once, then waits 300 ms for its token
    while (session.requests.length === 0) await new Promise((r) => setTimeout(r, 1));
    await con.naive.get(`${graph.url}/v1.0/users`); // a 429 (pause of 1 s) while `me` waits; then its retry
    await waiting;
    const throttled = calls.find((c) => c.status === 429)!;
    const me = calls.find((c) => c.path === '/v1.0/me')!;
    expect(throttled.answeredAt).toBeLessThan(me.at - 300); // the 429 came back while `me` waited for its token
    expect(me.at - throttled.answeredAt!).toBeGreaterThanOrEqual(999); // Date.now() ticks, as above
  });

  it('never exceeds maxConcurrency', async () => {
    const graph = await simulator({ latencyMs: 40 });
    const con = connect(graph, { maxConcurrency: 4 });
    await Promise.all(Array.from({ length: 30 }, () => con.get('me').json()));
    expect(graph.stats.requests).toBe(30);
    expect(graph.stats.maxInFlight).toBe(4);
  });

  it('pauses the whole connection for a throttled host: requests started during the pause wait instead of drawing 429s', async () => {
    const graph = await simulator({ throttle: { limit: 25, windowMs: 1000, retryAfterSeconds: 1 } });
    const con = connect(graph);
    await Promise.all(Array.from({ length: 25 }, () => con.get('me'))); // spend the window's budget
    const started = Date.now();
    const late: Array<Promise<unknown>> = [];
    for (let i = 0; i < 20; i++) {
      late.push(con.get('users', { searchParams: { $top: 1 } }).json());
      await new Promise((r) => setTimeout(r, 25));
    }
    await Promise.all(late);
    // Without the pause each of the 20 would have drawn its own 429 while the window lasted.
    expect(graph.stats.throttled).toBeLessThanOrEqual(2);
    expect(graph.stats.requests).toBe(25 + 20 + graph.stats.throttled);
    const served = graph.stats.log.filter((r) => r.path === '/v1.0/users' && r.status === 200);
    expect(served).toHaveLength(20);
    expect(Math.min(...served.map((r) => r.time)) - started).toBeGreaterThanOrEqual(800);
  });

  it('lets requests queued during the pause out gradually, so they do not draw a second round of 429s', async () => {
    const graph = await simulator({ throttle: { limit: 20, windowMs: 1000, retryAfterSeconds: 1 } });
    const con = connect(graph);
    const stream: Array<Promise<unknown>> = [];
    for (let i = 0; i < 60; i++) {
      stream.push(con.get('me').json());
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(stream);
    // The budget allows 20 per second, so 60 requests need three windows. Released all at once
    // after each pause, the queue drew about 40 429s; released through the narrowed window, a few.
    expect(graph.stats.log.filter((r) => r.status === 200)).toHaveLength(60);
    expect(graph.stats.throttled).toBeLessThanOrEqual(15);
  });

  it('does not pause other hosts', async () => {
    const graph = await simulator();
    const other = await simulator({ requireAuth: false });
    const lines: string[] = [];
    const con = connect(graph, { logger: { debug: (line) => lines.push(line) } });
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 2 }]);
    const throttled = con.get('me');
    while (!lines.some((l) => l.includes('→ 429'))) await new Promise((r) => setTimeout(r, 5));
    const start = performance.now();
    await con.naive.get(`${other.url}/v1.0/me`);
    expect(performance.now() - start).toBeLessThan(1000);
    await throttled;
  });

  it('learns the budget from the first 429s and paces to it: a storm costs about one round of 429s, not one per window', async () => {
    // 50 requests per sliding second per token; 250 requests from 20 loops need five windows.
    const budget = 50;
    const concurrency = 20;
    const graph = await simulator({ throttle: { limit: budget, windowMs: 1000, retryAfterSeconds: 1, sliding: true } });
    const con = connect(graph);
    const failures = await loops(250, concurrency, () => con.get('me'));
    expect(failures).toBe(0);
    expect(graph.stats.log.filter((r) => r.status === 200)).toHaveLength(250);
    // The first 429 costs what is in flight when the budget runs out: at most `concurrency`. Paced
    // to the budget, the later windows cost none. On a slow machine the first burst can outlast the
    // window, so answers that arrived just after the window's start are counted in it: the budget is
    // overestimated by at most what was in flight then, and one more round (at most `concurrency`)
    // corrects it. Narrowing concurrency alone costs about a round per window (60 or more here).
    expect(graph.stats.throttled).toBeLessThanOrEqual(2 * concurrency);
  });
  it("under maxConcurrency, a request held at dispatch by its host's pause lends its slot to another host", async () => {
    const graph = await simulator({ requireAuth: false });
    const other = await concurrencyCounter(200);
    const session = new CountingSession(3_600_000, 300);
    const con = connect(graph, { session, maxConcurrency: 2 });
    graph.script('GET /v1.0/users', [{ status: 429, retryAfter: 1 }]);
    const held = con.get('me'); // slot 1: waits 300 ms for its token
    while (session.requests.length === 0) await sleep(1);
    const throttled = con.naive.get(`${graph.url}/v1.0/users`); // slot 2: a 429 that pauses the host for 1 s
    while (graph.stats.throttled === 0) await sleep(1);
    await sleep(350); // `me` has its token now, and the pause holds it at dispatch
    await Promise.all([con.naive.get(`${other.url}/a`), con.naive.get(`${other.url}/b`)]);
    // Both slots for the other host at once; before, the held request kept one and they went one by one.
    expect(other.maxInFlight()).toBe(2);
    await Promise.all([held, throttled]);
    other.close();
  });

  it('finishes when tokens are rejected and replayed after pacing has begun', async () => {
    const graph = await simulator({ throttle: { limit: 15, windowMs: 500, retryAfterSeconds: 1, sliding: true } });
    const session = new CountingSession();
    const con = connect(graph, { session });
    let firstThrottle = 0;
    let revoked = false;
    // 30 callers keep as many requests in flight as the budget (15) allows, so all of them are
    // rejected and replayed: a replay counted as a second start that never ends would leave the
    // paced host looking full with nothing at the server, and the run would stall (checked: it does).
    const failures = await loops(120, 30, async () => {
      await con.get('me');
      if (!firstThrottle && graph.stats.throttled > 0) firstThrottle = Date.now();
      // Past the first pause (1 s) the budget is learned and the host paced: then the token is
      // rejected, and every request in flight is refreshed and replayed while paced.
      if (firstThrottle && !revoked && Date.now() > firstThrottle + 1300) {
        revoked = true;
        graph.revokeToken('token-1');
      }
    });
    expect(failures).toBe(0);
    expect(revoked).toBe(true);
    expect(graph.stats.log.filter((r) => r.status === 200)).toHaveLength(120);
    expect(session.requests.length).toBe(2);
  }, 20_000);

  it('learns the budget from $batch items: the burst that follows a batch is paced, not throttled', async () => {
    const graph = await simulator({ throttle: { limit: 40, windowMs: 1000, retryAfterSeconds: 1, sliding: true } });
    const con = connect(graph);
    // 60 items in 3 $batch calls: the budget (40 per sliding second, each item spends one) runs out inside them.
    const results = await con.batch(Array.from({ length: 60 }, (_, i) => ({ method: 'GET', url: `users/user-${(i % 20) + 1}` })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const afterBatch = graph.stats.throttled;
    expect(afterBatch).toBeGreaterThan(0); // what the budget is learned from
    expect(await loops(200, 20, () => con.get('me'))).toBe(0);
    // Learned from the envelopes alone (3 answers), the budget is too small to pace: about 6 more 429s.
    expect(graph.stats.throttled - afterBatch).toBeLessThanOrEqual(2);
  }, 20_000);
});
