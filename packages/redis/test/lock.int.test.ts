// RedisTokenStore's lock across Node processes: mutual exclusion, and a holder killed while holding it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenStore } from '@graphwire/redis';
import { gone, killPid, startChild, type Child } from './child-process.js';
import { startRedisServer, type Client, type RedisServer } from './redis-server.js';

let redis: RedisServer;
let client: Client;
beforeAll(async () => { redis = await startRedisServer(); client = await redis.client(); });
afterAll(() => redis.close());

const pids: number[] = [];
afterEach(() => { for (const pid of pids.splice(0)) killPid(pid); });

describe('across processes', () => {
  it('excludes: two processes × 40 locked read-modify-writes lose no update and never overlap', { timeout: 60_000 }, async () => {
    const ITERATIONS = 40;
    const children: Child[] = [0, 1].map(() => startChild('lock-child.ts', { mode: 'increment', url: redis.url, key: 'counter', iterations: ITERATIONS }));
    for (const c of children) pids.push(Number((await c.next()).pid));
    for (const c of children) c.process.stdin?.write('go\n');
    const reports = await Promise.all(children.map((c) => c.next()));
    expect(reports.map((r) => r.overlaps)).toEqual([0, 0]);
    expect(await new RedisTokenStore({ client }).load('counter')).toBe(String(2 * ITERATIONS));
  });

  it('a lock whose holder was SIGKILLed is taken over once its TTL has passed, not before', { timeout: 60_000 }, async () => {
    const TTL = 2000;
    const holder = startChild('lock-child.ts', { mode: 'hold', url: redis.url, key: 'msal.app', lockTtlMs: TTL });
    const held = await holder.next();
    expect(held).toMatchObject({ locked: true });
    const pid = Number(held.pid);
    pids.push(pid);
    const impatient = new RedisTokenStore({ client, lockTtlMs: TTL, lockTimeoutMs: 500 });
    await expect(impatient.lock('msal.app', async () => 'got it')).rejects.toMatchObject({ errorCode: 'lock_timeout' });

    killPid(pid);
    await gone(pid);
    const killedAt = Date.now();
    const left = await client.pTTL('graphwire:{tokens:msal.app}:lock'); // what the dead holder's last renewal left
    expect(left).toBeGreaterThan(0);
    const store = new RedisTokenStore({ client, lockTtlMs: TTL });
    await store.lock('msal.app', () => store.save('msal.app', 'after takeover'));
    const tookOver = Date.now() - killedAt;
    console.info(`killed holder: lock taken over ${tookOver} ms after SIGKILL (${left} ms of TTL were left, ${tookOver - left} ms after expiry)`);
    expect(tookOver).toBeGreaterThanOrEqual(left - 50);
    expect(tookOver).toBeLessThanOrEqual(left + 500);
    expect(await store.load('msal.app')).toBe('after takeover');
  });
});
