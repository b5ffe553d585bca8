// Pure logic of the store, the cipher and the locks, in Node (which has no IndexedDB: the fallback path).
import { describe, expect, test, vi } from 'vitest';
import { IndexedDbTokenStore } from '@graphwire/msal-browser';
import { createCipher } from '../src/encryption.js';
import { leaseLock } from '../src/cross-tab-lock.js';
import { memoryBackend } from '../src/key-value-backend.js';
import { parseStoredTokens, scopeKey, withToken } from '../src/stored-tokens.js';

describe('IndexedDbTokenStore options', () => {
  test('an unknown option or a wrong type is a TypeError naming it and listing the known ones', () => {
    expect(() => new IndexedDbTokenStore({ dbName: 'app' } as never)).toThrow(TypeError);
    expect(() => new IndexedDbTokenStore({ dbName: 'app' } as never)).toThrow(
      "[@graphwire/msal-browser] IndexedDbTokenStore: unknown option 'dbName' (did you mean 'databaseName'?); known options: databaseName, storeName, encrypt, onWarning, leaseMs",
    );
    expect(() => new IndexedDbTokenStore({ encrypt: 'yes' } as never)).toThrow("[@graphwire/msal-browser] IndexedDbTokenStore: option 'encrypt' must be true or false (got a string of 3 characters)");
    expect(() => new IndexedDbTokenStore({ leaseMs: 0 })).toThrow(/option 'leaseMs' must be a number of milliseconds from 1/);
    expect(() => new IndexedDbTokenStore({ onWarning: 'console' } as never)).toThrow(/option 'onWarning' must be a function/);
    expect(() => new IndexedDbTokenStore({ databaseName: '' })).toThrow(/option 'databaseName' must be a non-empty string/);
  });

  test('valid options are accepted', () => {
    expect(new IndexedDbTokenStore({ databaseName: 'app', storeName: 's', encrypt: false, onWarning: () => undefined, leaseMs: 5000 })).toBeInstanceOf(IndexedDbTokenStore);
  });
});

describe('IndexedDbTokenStore without IndexedDB', () => {
  test('keeps working in memory and warns exactly once', async () => {
    const onWarning = vi.fn();
    const store = new IndexedDbTokenStore({ onWarning });
    expect(await store.load('k')).toBeUndefined();
    await store.save('k', 'v');
    expect(await store.load('k')).toBe('v');
    await store.delete('k');
    expect(await store.load('k')).toBeUndefined();
    expect(await store.isPersistent()).toBe(false);
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(onWarning.mock.calls[0]?.[0]).toMatch(/^\[@graphwire\/msal-browser\] IndexedDB is unavailable/);
  });

  test('lock runs callers one at a time', async () => {
    const store = new IndexedDbTokenStore({ onWarning: () => undefined });
    const order: string[] = [];
    const run = (name: string) => store.lock('k', async () => {
      order.push(`${name}>`);
      await new Promise((r) => setTimeout(r, 10));
      order.push(`<${name}`);
    });
    await Promise.all([run('a'), run('b')]);
    expect(order).toEqual(['a>', '<a', 'b>', '<b']);
  });

  test('encrypts in memory too, and round-trips', async () => {
    const store = new IndexedDbTokenStore({ encrypt: true, onWarning: () => undefined });
    await store.save('k', 'secret value');
    expect(await store.load('k')).toBe('secret value');
  });
});

describe('encryption', () => {
  test('seals with AES-GCM bound to the storage key; foreign or tampered values open as undefined', async () => {
    const backend = memoryBackend();
    const cipher = await createCipher(backend);
    const sealed = await cipher.seal('eyJ.token.value', 'key-a');
    expect(new TextDecoder().decode(sealed.data)).not.toContain('token');
    expect(await cipher.open(sealed, 'key-a')).toBe('eyJ.token.value');
    expect(await cipher.open(sealed, 'key-b')).toBeUndefined();
    const tampered = { iv: sealed.iv, data: sealed.data.slice(0) };
    new Uint8Array(tampered.data)[0]! ^= 1;
    expect(await cipher.open(tampered, 'key-a')).toBeUndefined();
    expect(await cipher.open('plain text', 'key-a')).toBeUndefined();
  });

  test('the key is not extractable and is shared through the backend', async () => {
    const backend = memoryBackend();
    const [a, b] = await Promise.all([createCipher(backend), createCipher(backend)]);
    expect(await b.open(await a.seal('x', 'k'), 'k')).toBe('x');
    const key = (await backend.get('graphwire:encryption-key')) as CryptoKey;
    expect(key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
  });
});

describe('lease lock (the Web Locks fallback)', () => {
  test('excludes concurrent holders and releases on failure', async () => {
    const lock = leaseLock(memoryBackend(), 5_000);
    let inside = 0;
    let maxInside = 0;
    const work = () => lock('n', async () => {
      inside += 1;
      maxInside = Math.max(maxInside, inside);
      await new Promise((r) => setTimeout(r, 5));
      inside -= 1;
    });
    await Promise.all([work(), work(), work()]);
    expect(maxInside).toBe(1);
    await expect(lock('n', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock('n', async () => 'free again')).resolves.toBe('free again');
  });

  test('an abandoned lease expires', async () => {
    const backend = memoryBackend();
    await backend.set('graphwire:lease:n', { owner: 'dead-tab', until: Date.now() + 50 });
    const started = Date.now();
    await leaseLock(backend, 5_000)('n', async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });
});

describe('stored tokens', () => {
  test('scope sets compare regardless of case and order', () => {
    expect(scopeKey(['User.Read', 'mail.read'])).toBe(scopeKey(['Mail.Read', 'user.read', 'User.Read']));
  });

  test('unreadable entries read as empty, expired neighbours are dropped on write', () => {
    expect(parseStoredTokens('not json')).toEqual({});
    expect(parseStoredTokens(JSON.stringify({ v: 2, tokens: {} }))).toEqual({});
    const now = Date.now();
    const raw = withToken({ old: { token: 'o', expiresOn: now - 1 }, other: { token: 'x', expiresOn: now + 1000 } }, 'new', { token: 't', expiresOn: now + 5000 }, now);
    expect(parseStoredTokens(raw)).toEqual({ other: { token: 'x', expiresOn: now + 1000 }, new: { token: 't', expiresOn: now + 5000 } });
  });
});
