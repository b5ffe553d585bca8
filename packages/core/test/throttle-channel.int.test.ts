// Two Connections sharing throttle pauses over a real simulator: a 429 one of them sees holds the other.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BroadcastChannelThrottle, type Connection, type ThrottleChannel, type ThrottlePause } from '@graphwire/core';
import type { GraphSimulator } from '@graphwire/testing';
import { connect, simulator } from './support.js';

/** An in-memory ThrottleChannel that records what was published and delivers it to every subscriber. */
class MemoryThrottle implements ThrottleChannel {
  readonly published: ThrottlePause[] = [];
  readonly listeners = new Set<(pause: ThrottlePause) => void>();
  publish(pause: ThrottlePause): void {
    this.published.push(pause);
    this.deliver(pause);
  }
  /** What a peer (or a hostile tab) would send. */
  deliver(message: unknown): void {
    for (const listener of this.listeners) listener(message as ThrottlePause);
  }
  subscribe(listener: (pause: ThrottlePause) => void): () => void {
    const entry = (p: ThrottlePause) => listener(p);
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }
}

const channels: BroadcastChannelThrottle[] = [];
const broadcast = (name: string) => {
  const c = new BroadcastChannelThrottle(name);
  channels.push(c);
  return c;
};
afterEach(() => {
  for (const c of channels.splice(0)) c.close();
});

const served = (graph: GraphSimulator, path: string) => graph.stats.log.filter((r) => r.path === `/v1.0/${path}`);
const hostOf = (graph: GraphSimulator) => new URL(graph.url).host;

/** A's GET me draws a scripted 429 (Retry-After 1); resolves when A has seen it. */
async function throttleA(graph: GraphSimulator, a: Connection, heard: () => boolean): Promise<{ done: Promise<unknown>; seen: number }> {
  graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 1 }]);
  const done = a.get('me').json();
  await vi.waitFor(() => expect(heard()).toBe(true), { interval: 2, timeout: 2_000 });
  return { done, seen: Date.now() };
}

describe('throttleChannel: sharing 429 pauses between Connections', () => {
  it('a 429 seen by A holds B’s next request to that host for the Retry-After (in-memory channel)', async () => {
    const graph = await simulator({ requireAuth: false });
    const channel = new MemoryThrottle();
    const a = connect(graph, { throttleChannel: channel });
    const b = connect(graph, { throttleChannel: channel });
    const { done, seen } = await throttleA(graph, a, () => channel.published.length > 0);
    expect(channel.published).toEqual([{ host: hostOf(graph), until: expect.any(Number) }]);
    await b.get('users').json();
    const [bArrival] = served(graph, 'users');
    expect(bArrival!.time - seen).toBeGreaterThanOrEqual(950);
    expect(bArrival!.time).toBeGreaterThanOrEqual(channel.published[0]!.until - 5);
    await done;
    // Nothing echoed: B applied the pause without publishing it, and A's successful retry published nothing.
    expect(channel.published).toHaveLength(1);
  });

  it('publishes a burst of 429s once, and a $batch item’s 429 too', async () => {
    const graph = await simulator({ requireAuth: false });
    const channel = new MemoryThrottle();
    const a = connect(graph, { throttleChannel: channel });
    graph.script('GET /v1.0/me', Array.from({ length: 5 }, () => ({ status: 429, retryAfter: 1 })));
    await Promise.all(Array.from({ length: 5 }, () => a.get('me').json()));
    expect(channel.published).toHaveLength(1);

    const graph2 = await simulator({ requireAuth: false });
    const channel2 = new MemoryThrottle();
    const c = connect(graph2, { throttleChannel: channel2 });
    const d = connect(graph2, { throttleChannel: channel2 });
    graph2.script('GET /v1.0/users/user-1', [{ status: 429, retryAfter: 1 }]);
    const batch = c.batch([{ method: 'GET', url: 'users/user-1' }, { method: 'GET', url: 'me' }]);
    await vi.waitFor(() => expect(channel2.published).toHaveLength(1), { interval: 2, timeout: 2_000 });
    const seen = Date.now();
    expect(channel2.published[0]!.host).toBe(hostOf(graph2));
    await d.get('users').json();
    expect(served(graph2, 'users')[0]!.time - seen).toBeGreaterThanOrEqual(900);
    expect((await batch).map((r) => r.status)).toEqual([200, 200]);
  });

  it('applies a heard pause with the narrowed window, so the queued requests go out gradually', async () => {
    const graph = await simulator({ requireAuth: false, latencyMs: 40 });
    const channel = new MemoryThrottle();
    const b = connect(graph, { throttleChannel: channel });
    channel.deliver({ host: hostOf(graph).toUpperCase(), until: Date.now() + 400 }); // compared as the connection does: lower-cased
    const start = Date.now();
    await Promise.all(Array.from({ length: 12 }, () => b.get('me').json()));
    const times = served(graph, 'me').map((r) => r.time);
    expect(Math.min(...times) - start).toBeGreaterThanOrEqual(350);
    expect(graph.stats.maxInFlight).toBeLessThanOrEqual(4); // unpaced, all 12 would be in flight at once
    expect(channel.published).toEqual([]);
  });

  it('ignores malformed, already-over and foreign-host pauses, and caps a long one at maxRetryAfter', async () => {
    const graph = await simulator({ requireAuth: false });
    const channel = new MemoryThrottle();
    const b = connect(graph, { throttleChannel: channel, retries: { maxRetryAfter: 300 } });
    const host = hostOf(graph);
    for (const junk of [null, 'pause', { host }, { host, until: 'later' }, { host, until: Number.NaN }, { host: 42, until: Date.now() + 60_000 },
      { host, until: Date.now() - 1_000 }, { host: 'graph.microsoft.com', until: Date.now() + 60_000 }]) channel.deliver(junk);
    let start = Date.now();
    await b.get('me').json();
    expect(Date.now() - start).toBeLessThan(250);

    channel.deliver({ host, until: Date.now() + 86_400_000 }); // a day: a buggy or hostile peer
    start = Date.now();
    await b.get('users').json();
    const waited = served(graph, 'users')[0]!.time - start;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(1_000);
  });

  it('unsubscribes on close and never closes the channel it was given', async () => {
    const graph = await simulator({ requireAuth: false });
    const channel = new MemoryThrottle();
    const a = connect(graph, { throttleChannel: channel });
    expect(channel.listeners.size).toBe(1);
    await a.close();
    await a.close();
    expect(channel.listeners.size).toBe(0);

    const shared = broadcast('gw-int-close');
    const b = connect(graph, { throttleChannel: shared });
    const c = connect(graph, { throttleChannel: shared });
    await b.close();
    shared.publish({ host: hostOf(graph), until: Date.now() + 400 }); // the channel still works for c
    const start = Date.now();
    await c.get('me').json();
    expect(served(graph, 'me')[0]!.time - start).toBeGreaterThanOrEqual(350);
  });

  it('BroadcastChannelThrottle: two instances of one name, and one instance shared by two Connections', async () => {
    const graph = await simulator({ requireAuth: false });
    const onA = broadcast('gw-int-two');
    const a = connect(graph, { throttleChannel: onA });
    const b = connect(graph, { throttleChannel: broadcast('gw-int-two') });
    const c = connect(graph, { throttleChannel: onA }); // same instance as A: delivered locally
    const published: ThrottlePause[] = [];
    broadcast('gw-int-two').subscribe((p) => published.push(p));
    const { done, seen } = await throttleA(graph, a, () => published.length > 0);
    await Promise.all([b.get('users').json(), c.get('organization').json()]);
    expect(served(graph, 'users')[0]!.time - seen).toBeGreaterThanOrEqual(950);
    expect(served(graph, 'organization')[0]!.time - seen).toBeGreaterThanOrEqual(950);
    await done;
    await new Promise((r) => setTimeout(r, 30));
    expect(published).toHaveLength(1); // no echo from B or C
  });

  it('BroadcastChannelThrottle across a worker thread, both ways', async () => {
    const graph = await simulator({ requireAuth: false });
    const host = hostOf(graph);
    // The worker speaks the wire format with a plain BroadcastChannel: { host, until }.
    const worker = new Worker(`
      const { parentPort } = require('node:worker_threads');
      const bc = new BroadcastChannel('gw-int-worker');
      bc.onmessage = (e) => parentPort.postMessage(e.data);
      parentPort.on('message', (m) => m === 'exit' ? (bc.close(), parentPort.close()) : bc.postMessage(m));
      parentPort.postMessage('ready');
    `, { eval: true });
    try {
      const fromWorker: unknown[] = [];
      worker.on('message', (m) => fromWorker.push(m));
      await vi.waitFor(() => expect(fromWorker).toContain('ready'));
      const a = connect(graph, { throttleChannel: broadcast('gw-int-worker') });
      // The worker's pause holds this thread's Connection.
      worker.postMessage({ host, until: Date.now() + 500 });
      await new Promise((r) => setTimeout(r, 50));
      const start = Date.now();
      await a.get('users').json();
      expect(served(graph, 'users')[0]!.time - start).toBeGreaterThanOrEqual(400);
      // This thread's 429 reaches the worker.
      const { done } = await throttleA(graph, a, () => fromWorker.some((m) => typeof m === 'object' && m !== null));
      expect(fromWorker.filter((m) => m !== 'ready')).toEqual([{ host, until: expect.any(Number) }]);
      await done;
    } finally {
      worker.postMessage('exit');
      await worker.terminate();
    }
  });
});
