// Outage and lock edge cases: outage changes written back on recovery (never silently lost or
// overwritten), lease loss during a partition, in-process lock timeouts and maximum hold,
// re-entrancy limits, wrong-type entries, and the throttle channel's close/ready while Redis is gone.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisThrottleChannel, RedisTokenStore, RedisTokenStoreError } from '@graphwire/redis';
import { makeClient, startRedisServer, type Client, type RedisServer } from './redis-server.js';
import { startProxy, type CuttableProxy } from './proxy.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const caught = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as RedisTokenStoreError);
const quiet = () => ({ info: () => undefined, warn: () => undefined });
function captureLogger() {
  const lines: { level: string; message: string }[] = [];
  return { lines, logger: { info: (m: string) => lines.push({ level: 'info', message: m }), warn: (m: string) => lines.push({ level: 'warn', message: m }) } };
}

let redis: RedisServer;
let raw: Client;
let proxy: CuttableProxy;
let behind: Client; // a client behind the cuttable proxy
const extra: Client[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
  raw = await redis.client();
  proxy = await startProxy(redis.port);
  behind = makeClient(proxy.url);
  await behind.connect();
});
afterAll(async () => {
  for (const c of [behind, ...extra]) if (c.isOpen) c.destroy();
  proxy.close();
  await redis.close();
});
beforeEach(async () => {
  proxy.restore();
  for (let i = 0; i < 200 && !behind.isReady; i++) await sleep(10);
  await raw.flushAll();
});

async function outage(during: () => Promise<void>): Promise<void> {
  proxy.cut();
  await sleep(50);
  await during();
  proxy.restore();
  for (let i = 0; i < 200 && !behind.isReady; i++) await sleep(10);
  expect(behind.isReady).toBe(true);
}

describe('changes made during an outage', () => {
  it('are written back on recovery when Redis still holds what this instance last saw; load returns them until then', { timeout: 20_000 }, async () => {
    const { lines, logger } = captureLogger();
    const store = new RedisTokenStore({ client: behind, logger, commandTimeoutMs: 200 });
    await store.save('k', 'before');
    await store.save('gone', 'signed-in');
    await outage(async () => {
      await store.save('k', 'during');
      await store.delete('gone'); // the user signs out
      expect(await store.load('k')).toBe('during');
      expect(await store.load('gone')).toBeUndefined();
    });
    expect(await store.load('k')).toBe('during');
    expect(await store.load('gone')).toBeUndefined();
    await sleep(50);
    expect(JSON.parse((await raw.get('graphwire:{tokens:k}'))!)).toMatchObject({ value: 'during' });
    expect(await raw.exists('graphwire:{tokens:gone}')).toBe(0);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1); // only the outage warning
  });

  it('are dropped with a warning naming the key when another instance changed it meanwhile', { timeout: 20_000 }, async () => {
    const { lines, logger } = captureLogger();
    const store = new RedisTokenStore({ client: behind, logger, commandTimeoutMs: 200 });
    const other = new RedisTokenStore({ client: raw, logger: quiet() });
    await store.save('k', 'before');
    await store.save('d', 'before');
    await outage(async () => {
      await store.save('k', 'during');
      await store.delete('d');
      await other.save('k', 'from another instance');
      await other.save('d', 'refreshed elsewhere');
    });
    expect(await store.load('k')).toBe('from another instance');
    expect(await store.load('d')).toBe('refreshed elsewhere');
    const dropped = lines.filter((l) => l.level === 'warn' && /dropped/.test(l.message)).map((l) => l.message);
    expect(dropped).toHaveLength(2);
    expect(dropped.join('\n')).toMatch(/graphwire:\{tokens:k\}.*save/);
    expect(dropped.join('\n')).toMatch(/graphwire:\{tokens:d\}.*delete/);
  });

  it('are written back in the background after any successful call, not only on load', { timeout: 20_000 }, async () => {
    const store = new RedisTokenStore({ client: behind, logger: quiet(), commandTimeoutMs: 200 });
    await store.save('k', 'before');
    await outage(async () => { await store.save('k', 'during'); });
    await store.load('unrelated');
    await sleep(100);
    expect(JSON.parse((await raw.get('graphwire:{tokens:k}'))!)).toMatchObject({ value: 'during' });
  });
});

describe('a wrong-type entry', () => {
  it('is a RedisTokenStoreError naming the key, for load and save', async () => {
    const store = new RedisTokenStore({ client: raw, logger: quiet() });
    await raw.hSet('graphwire:{tokens:h}', 'f', 'v');
    // One after another: each must meet the wrong-type entry itself.
    expect(await caught(store.load('h'))).toMatchObject({ errorCode: 'token_store_corrupt', key: 'graphwire:{tokens:h}' });
    const saved = await caught(store.save('h', 'SECRET-CACHE'));
    expect(saved).toBeInstanceOf(RedisTokenStoreError);
    expect(saved).toMatchObject({ errorCode: 'token_store_corrupt', key: 'graphwire:{tokens:h}' });
    expect(`${saved.message} ${saved.stack} ${String(saved.cause)}`).not.toContain('SECRET-CACHE'); // the value is a token cache
    expect(await caught(store.load('h'))).toBeInstanceOf(RedisTokenStoreError);
    await store.delete('h'); // delete removes the entry whatever its type
    expect(await raw.exists('graphwire:{tokens:h}')).toBe(0);
    await raw.hSet('graphwire:{tokens:h2}', 'f', 'v');
    expect(await caught(store.load('h2'))).toMatchObject({ errorCode: 'token_store_corrupt', key: 'graphwire:{tokens:h2}' });
    expect(await caught(store.save('h2', 'x'))).toMatchObject({ errorCode: 'token_store_corrupt', key: 'graphwire:{tokens:h2}' });
  });
});

describe('the lock, at its limits', () => {
  it('a holder cut off from Redis longer than the TTL is told the lock was lost (default memory mode)', { timeout: 20_000 }, async () => {
    const { lines, logger } = captureLogger();
    const a = new RedisTokenStore({ client: behind, logger, lockTtlMs: 1000, commandTimeoutMs: 200 });
    const error = await caught(a.lock('k1', async () => {
      proxy.cut();
      await sleep(1600);
      proxy.restore();
      await sleep(300);
    }));
    expect(error).toMatchObject({ errorCode: 'lock_lost', key: 'graphwire:{tokens:k1}:lock' });
    expect(lines.some((l) => l.level === 'warn' && /lock graphwire:\{tokens:k1\}:lock was lost/.test(l.message))).toBe(true);
  });

  it('in-process waiters give up after lockTimeoutMs; a hung holder stops renewing after lockMaxHoldMs', { timeout: 20_000 }, async () => {
    const { lines, logger } = captureLogger();
    const s = new RedisTokenStore({ client: raw, logger, lockTimeoutMs: 300, lockTtlMs: 1000, lockMaxHoldMs: 1000 });
    void s.lock('q', () => new Promise(() => undefined)); // never settles
    await sleep(20);
    const started = Date.now();
    expect(await caught(s.lock('q', async () => 'ran'))).toMatchObject({ errorCode: 'lock_timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
    const other = new RedisTokenStore({ client: await redis.client(), logger: quiet(), lockTimeoutMs: 5000, lockTtlMs: 1000 });
    const t0 = Date.now();
    expect(await other.lock('q', async () => 'ran elsewhere')).toBe('ran elsewhere');
    expect(Date.now() - t0).toBeLessThan(3000); // max hold 1000 + ttl 1000, not forever
    expect(lines.some((l) => /lockMaxHoldMs/.test(l.message))).toBe(true);
  });

  it('nested lock calls: parallel ones do not overlap, and work left running after the outer call queues normally', { timeout: 20_000 }, async () => {
    const a = new RedisTokenStore({ client: raw, logger: quiet(), lockTtlMs: 1000 });
    const b = new RedisTokenStore({ client: await redis.client(), logger: quiet(), lockTtlMs: 1000 });
    let inside = 0;
    let overlap = false;
    const crit = async () => { inside++; if (inside > 1) overlap = true; await sleep(150); inside--; };

    // re-entrant for a nested call...
    expect(await a.lock('n', () => a.lock('n', async () => 'nested'))).toBe('nested');
    // ...but two parallel nested calls run one after the other
    await a.lock('p', () => Promise.all([a.lock('p', crit), a.lock('p', crit)]));
    expect(overlap).toBe(false);

    // work scheduled by fn that locks after the outer lock was released is not re-entrant
    let detached!: Promise<unknown>;
    await a.lock('d', async () => {
      detached = new Promise((resolve) => setTimeout(() => resolve(a.lock('d', crit)), 50));
    });
    await Promise.all([detached, b.lock('d', crit)]);
    expect(overlap).toBe(false);
  });
});

describe('RedisThrottleChannel while Redis is gone', () => {
  it('ready() and close() complete promptly when the first subscribe happens during an outage', { timeout: 20_000 }, async () => {
    const server = await startRedisServer();
    const client = await server.client();
    const ch = new RedisThrottleChannel({ client, logger: quiet(), commandTimeoutMs: 300 });
    await server.stop();
    ch.subscribe(() => undefined);
    const started = Date.now();
    await ch.ready();
    await ch.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await server.close();
  });

  it('close() completes promptly when Redis stops after subscribing, for an owned and a given subscriber', { timeout: 20_000 }, async () => {
    const server = await startRedisServer();
    const client = await server.client();
    const sub = await server.client();
    const owned = new RedisThrottleChannel({ client, logger: quiet(), commandTimeoutMs: 300 });
    const given = new RedisThrottleChannel({ client, subscriber: sub, channel: 'x', logger: quiet(), commandTimeoutMs: 300 });
    await owned.ready();
    await given.ready();
    await server.stop();
    await sleep(100);
    const started = Date.now();
    await Promise.all([owned.close(), given.close()]);
    expect(Date.now() - started).toBeLessThan(2000);
    await server.close();
  });

  it('ready() after close() does nothing (no new connection)', async () => {
    const client = await redis.client();
    const connections = async () => {
      const list: unknown = await raw.sendCommand(['CLIENT', 'LIST']);
      return (typeof list === 'string' ? list : '').trim().split('\n').length;
    };
    const before = await connections();
    const ch = new RedisThrottleChannel({ client, logger: quiet() });
    await ch.close();
    await ch.ready();
    ch.subscribe(() => undefined);
    await sleep(50);
    const reply: unknown = await raw.sendCommand(['PUBSUB', 'NUMSUB', 'graphwire:throttle']);
    const count = (reply as [string, number])[1];
    expect(count).toBe(0);
    expect(await connections()).toBe(before);
  });

  it('caps a pause at maxPauseMs and sends whole milliseconds', async () => {
    const ch = new RedisThrottleChannel({ client: await redis.client(), logger: quiet(), maxPauseMs: 60_000 });
    await ch.ready();
    ch.publish({ host: 'graph.example', until: 1e21 });
    ch.publish({ host: 'other.example', until: Date.now() + 1000.7 });
    await sleep(100);
    const until = Number(await raw.hGet('graphwire:throttle:pauses', 'graph.example'));
    expect(until).toBeGreaterThan(Date.now());
    expect(until).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(Number.isInteger(Number(await raw.hGet('graphwire:throttle:pauses', 'other.example')))).toBe(true);
    expect(await raw.pTTL('graphwire:throttle:pauses')).toBeGreaterThan(0);
    await ch.close();
  });
});
