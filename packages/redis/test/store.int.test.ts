// RedisTokenStore's contract against a real redis-server: values, keys, encryption, bad input,
// the lock within one process, and what happens when Redis goes away.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isGraphAuthError } from '@graphwire/core';
import { FileTokenStore } from '@graphwire/msal-node';
import { RedisTokenStore, RedisTokenStoreError } from '@graphwire/redis';
import { makeClient, startRedisServer, type Client, type RedisServer } from './redis-server.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 9).toString('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const caught = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as RedisTokenStoreError);

let redis: RedisServer;
let client: Client;
let raw: Client; // a second connection, to look at Redis as a third party would
beforeAll(async () => {
  redis = await startRedisServer();
  [client, raw] = await Promise.all([redis.client(), redis.client()]);
});
afterAll(() => redis.close());
beforeEach(async () => { await raw.flushAll(); });

function captureLogger() {
  const lines: { level: string; message: string }[] = [];
  const logger = {
    info: (message: string) => lines.push({ level: 'info', message }),
    warn: (message: string) => lines.push({ level: 'warn', message }),
  };
  return { lines, logger };
}

describe('options and bad input', () => {
  it('refuses unknown options, a missing client and one that is not connected, clearly', () => {
    expect(() => new RedisTokenStore({ client, prefix: 'x' } as never)).toThrow(/^\[@graphwire\/redis\] RedisTokenStore: unknown option 'prefix' \(did you mean 'keyPrefix'\?\)/);
    expect(() => new RedisTokenStore({} as never)).toThrow(/^\[@graphwire\/redis\] RedisTokenStore: option 'client' is required: a client of the `redis` package/);
    expect(() => new RedisTokenStore({ client: { get: () => undefined } as never })).toThrow(/option 'client' must be a client of the `redis` package/);
    expect(() => new RedisTokenStore({ client: makeClient(redis.url) })).toThrow(/^\[@graphwire\/redis\] RedisTokenStore: the client is not connected: call `await client.connect\(\)`/);
    expect(() => new RedisTokenStore({ client, encryptionKey: 'short-passphrase' })).toThrow(/^\[@graphwire\/redis\] RedisTokenStore: option 'encryptionKey' must be 32 bytes/);
    expect(() => new RedisTokenStore({ client, encryptionKey: 'short-passphrase' })).not.toThrow(/short-passphrase/);
    expect(() => new RedisTokenStore({ client, lockTtlMs: 10 })).toThrow(/option 'lockTtlMs' must be a number of milliseconds from 1000/);
    expect(() => new RedisTokenStore({ client, onUnavailable: 'throw' as never })).toThrow(/option 'onUnavailable' must be one of 'memory', 'fail'/);
  });
});

describe('values and keys', () => {
  it('loads, saves and deletes under <prefix>{tokens:<key>}', async () => {
    const store = new RedisTokenStore({ client });
    expect(await store.load('msal.app')).toBeUndefined();
    await store.save('msal.app', 'v1');
    await store.save('msal.app', 'v2');
    expect(await store.load('msal.app')).toBe('v2');
    expect(await new RedisTokenStore({ client: raw }).load('msal.app')).toBe('v2'); // another instance sees it
    expect(await raw.keys('*')).toEqual(['graphwire:{tokens:msal.app}']);
    expect(JSON.parse((await raw.get('graphwire:{tokens:msal.app}'))!)).toEqual({ format: 'graphwire-token-store/1', value: 'v2' });
    await store.delete('msal.app');
    await store.delete('never-there');
    expect(await store.load('msal.app')).toBeUndefined();
    expect(await raw.keys('*')).toEqual([]);
  });

  it('puts the entry and its lock in one hash slot, under the key prefix', async () => {
    const store = new RedisTokenStore({ client, keyPrefix: 'tenant-a:' });
    await store.lock('msal.app', async () => {
      await store.save('msal.app', 'v');
      expect((await raw.keys('*')).sort()).toEqual(['tenant-a:{tokens:msal.app}', 'tenant-a:{tokens:msal.app}:lock']);
    });
    const slot = (k: string) => raw.sendCommand(['CLUSTER', 'KEYSLOT', k]).catch(() => undefined);
    // Standalone Redis has no CLUSTER command; the hash tag rule is easy to check by hand instead.
    if (await slot('x') === undefined) {
      expect(store.lockKey('msal.app').startsWith(store.redisKey('msal.app'))).toBe(true);
      expect(store.redisKey('msal.app')).toMatch(/^tenant-a:\{tokens:msal\.app\}$/);
    } else {
      expect(await slot(store.redisKey('msal.app'))).toBe(await slot(store.lockKey('msal.app')));
    }
    expect(await new RedisTokenStore({ client }).load('msal.app')).toBeUndefined(); // other prefix, other entries
  });
});

describe('encryption at rest', () => {
  it('round-trips with the key; Redis holds no plaintext; a wrong or missing key is a typed error naming the key', async () => {
    const store = new RedisTokenStore({ client, encryptionKey: KEY });
    await store.save('k', '{"RefreshToken":{"x":{"secret":"rt-plaintext-marker"}}}');
    const stored = (await raw.get('graphwire:{tokens:k}'))!;
    expect(stored).not.toContain('rt-plaintext-marker');
    expect(JSON.parse(stored).sealed).toMatchObject({ alg: 'A256GCM' });
    expect(await new RedisTokenStore({ client, encryptionKey: Buffer.alloc(32, 7) }).load('k')).toContain('rt-plaintext-marker');

    const wrong = await caught(new RedisTokenStore({ client, encryptionKey: OTHER_KEY }).load('k'));
    expect(wrong).toBeInstanceOf(RedisTokenStoreError);
    expect(isGraphAuthError(wrong)).toBe(true);
    expect(wrong.errorCode).toBe('token_store_decrypt_failed');
    expect(wrong.key).toBe('graphwire:{tokens:k}');
    expect(wrong.message).toMatch(/^\[@graphwire\/redis\] cannot decrypt graphwire:\{tokens:k\}: wrong encryption key/);
    expect(wrong.message).not.toContain(OTHER_KEY);
    expect((await caught(new RedisTokenStore({ client, encryptionKey: OTHER_KEY }).save('k', 'x'))).errorCode).toBe('token_store_decrypt_failed');
    expect(await store.load('k')).toContain('rt-plaintext-marker'); // the refused save left it alone
    const missing = await caught(new RedisTokenStore({ client }).load('k'));
    expect(missing.errorCode).toBe('token_store_encrypted');
    expect(missing.message).toContain('encryptionKey');
  });

  it('uses FileTokenStore\'s format: an encrypted file copied into Redis opens with the same key', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-redis-file-'));
    try {
      const files = new FileTokenStore({ directory: dir, encryptionKey: KEY });
      await files.save('msal.app', 'from-a-file');
      await raw.set('graphwire:{tokens:msal.app}', readFileSync(files.pathFor('msal.app'), 'utf8'));
      expect(await new RedisTokenStore({ client, encryptionKey: KEY }).load('msal.app')).toBe('from-a-file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a malformed entry', () => {
  it('is reported as a typed error naming the key, and kept as it is', async () => {
    await raw.set('graphwire:{tokens:msal.app}', '{"not":"ours"');
    const store = new RedisTokenStore({ client });
    const error = await caught(store.load('msal.app'));
    expect(error).toBeInstanceOf(RedisTokenStoreError);
    expect(error).toMatchObject({ errorCode: 'token_store_corrupt', key: 'graphwire:{tokens:msal.app}' });
    expect(error.message).toMatch(/^\[@graphwire\/redis\] graphwire:\{tokens:msal\.app\} is not a graphwire token entry.*left as it is/);
    expect((await caught(store.save('msal.app', 'new'))).errorCode).toBe('token_store_corrupt');
    expect(await raw.get('graphwire:{tokens:msal.app}')).toBe('{"not":"ours"');
  });
});

describe('lock within one process', () => {
  it('excludes callers of the same key (across two stores on two connections) and is re-entrant', async () => {
    const a = new RedisTokenStore({ client });
    const b = new RedisTokenStore({ client: raw });
    let inside = 0;
    let most = 0;
    const work = (store: RedisTokenStore) => store.lock('k', async () => {
      inside += 1;
      most = Math.max(most, inside);
      await sleep(15);
      inside -= 1;
    });
    await Promise.all(Array.from({ length: 6 }, (_, i) => work(i % 2 ? a : b)));
    expect(most).toBe(1);
    expect(await a.lock('k', () => a.lock('k', async () => 42))).toBe(42);
    expect(await raw.exists('graphwire:{tokens:k}:lock')).toBe(0); // released
  });

  it('is renewed while a long step runs, so nobody else gets it', async () => {
    const holder = new RedisTokenStore({ client, lockTtlMs: 1000 });
    const other = new RedisTokenStore({ client: raw, lockTtlMs: 1000, lockTimeoutMs: 1500 });
    let otherError: RedisTokenStoreError | undefined;
    await holder.lock('k', async () => {
      await sleep(100);
      otherError = await caught(other.lock('k', async () => 'got it'));
      expect(await raw.pTTL('graphwire:{tokens:k}:lock')).toBeGreaterThan(400);
    });
    expect(otherError).toMatchObject({ errorCode: 'lock_timeout', key: 'graphwire:{tokens:k}:lock' });
    expect(otherError!.message).toMatch(/stayed locked by another instance for 1500 ms/);
  });

  it('detects a lock lost while held and reports it, never holding on', async () => {
    const { lines, logger } = captureLogger();
    const store = new RedisTokenStore({ client, lockTtlMs: 1000, logger });
    const error = await caught(store.lock('k', async () => {
      await raw.del('graphwire:{tokens:k}:lock'); // as if it had expired
      const thief = await raw.set('graphwire:{tokens:k}:lock', 'someone-else', { PX: 5000 });
      expect(thief).toBe('OK');
      await sleep(600); // a renewal (every 333 ms) finds it taken
      return 'done';
    }));
    expect(error).toMatchObject({ errorCode: 'lock_lost', key: 'graphwire:{tokens:k}:lock' });
    expect(error.message).toMatch(/was lost while held/);
    expect(await raw.get('graphwire:{tokens:k}:lock')).toBe('someone-else'); // the new holder's lock was not deleted
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('detects expiry after a stall (no renewal could run) at release', async () => {
    const store = new RedisTokenStore({ client, lockTtlMs: 1000 });
    const error = await caught(store.lock('k', async () => {
      const until = Date.now() + 1300;
      while (Date.now() < until) { /* the event loop is blocked: no renewal */ }
    }));
    expect(error.errorCode).toBe('lock_lost');
  });
});

describe('Redis unavailable', () => {
  it('degrades to memory with one warning per outage and one line on recovery; fails when asked to', { timeout: 20_000 }, async () => {
    const { lines, logger } = captureLogger();
    const own = await redis.client();
    const store = new RedisTokenStore({ client: own, logger, commandTimeoutMs: 300 });
    const strict = new RedisTokenStore({ client: own, onUnavailable: 'fail', commandTimeoutMs: 300, logger: captureLogger().logger });
    await store.save('k', 'before');

    // A server that does not answer (paused): the command deadline.
    await raw.sendCommand(['CLIENT', 'PAUSE', '1500', 'ALL']);
    const started = Date.now();
    expect(await store.load('k')).toBe('before');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(lines.map((l) => l.level)).toEqual(['warn']);
    expect(lines[0]!.message).toMatch(/^\[@graphwire\/redis\] RedisTokenStore: Redis is unavailable \(no reply within 300 ms\); this instance keeps its tokens in its own memory/);
    await sleep(1600);
    expect(await store.load('k')).toBe('before');
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info']);

    // A server that is gone.
    await redis.stop();
    expect(await store.load('k')).toBe('before');
    await store.save('k', 'during');
    expect(await store.load('k')).toBe('during');
    expect(await store.lock('k', async () => 'locked locally')).toBe('locked locally');
    await store.delete('gone');
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info', 'warn']);
    const failed = await caught(strict.load('k'));
    expect(failed).toMatchObject({ errorCode: 'token_store_unavailable', key: 'graphwire:{tokens:k}' });
    expect(failed.message).toMatch(/onUnavailable/);

    await redis.start();
    for (let i = 0; i < 100 && !own.isReady; i++) await sleep(20);
    expect(await store.load('k')).toBeUndefined(); // a fresh server without persistence: empty again
    // The save made during the outage is not written over what Redis holds now (not what was last seen): said, not silent.
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info', 'warn', 'info', 'warn']);
    expect(lines[3]!.message).toMatch(/Redis is available again after \d+ ms; sharing resumed/);
    expect(lines[4]!.message).toMatch(/graphwire:\{tokens:k\} changed in Redis while Redis was unavailable here \(another instance wrote it, or Redis restarted empty\); this instance's save of it in the outage was dropped/);
    expect(lines.every((l) => !l.message.includes('during'))).toBe(true);
  });
});
