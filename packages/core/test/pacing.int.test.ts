import { describe, expect, it } from 'vitest';
import { connect, simulator } from './support.js';

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
});
