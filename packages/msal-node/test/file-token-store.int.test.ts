import { execFileSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isGraphAuthError } from '@graphwire/core';
import { ENCRYPTION_KEY_ENV, FileTokenStore } from '@graphwire/msal-node';
import { tempDir } from './helpers.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 9).toString('hex');
const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });
function dir(): string {
  const t = tempDir('gw-store-');
  cleanups.push(t.remove);
  return t.dir;
}
const mode = (p: string) => statSync(p).mode & 0o777;
const caught = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as Error & { errorCode: string });

describe('FileTokenStore', () => {
  it('round-trips values atomically with mode 0600 in a 0700 directory whatever the umask', async () => {
    const previous = process.umask(0o000);
    try {
      const directory = path.join(dir(), 'nested', 'tokens');
      const store = new FileTokenStore({ directory });
      expect(await store.load('k')).toBeUndefined();
      await store.save('k', 'value-1');
      await store.save('k', 'value-2');
      expect(await store.load('k')).toBe('value-2');
      expect(mode(directory)).toBe(0o700);
      expect(mode(path.dirname(directory))).toBe(0o700);
      expect(mode(store.pathFor('k'))).toBe(0o600);
      expect(readdirSync(directory)).toEqual([path.basename(store.pathFor('k'))]); // no temp files left
      await store.delete('k');
      expect(await store.load('k')).toBeUndefined();
    } finally {
      process.umask(previous);
    }
  });

  it('keeps keys that sanitise alike in different files', () => {
    const store = new FileTokenStore({ directory: dir() });
    expect(store.pathFor('a/b')).not.toBe(store.pathFor('a_b'));
    expect(store.pathFor('msal.client-1')).toMatch(/msal\.client-1\.json$/);
  });

  it('reports a corrupt file with its path and remedy, and never overwrites it', async () => {
    const store = new FileTokenStore({ directory: dir() });
    const file = store.pathFor('k');
    writeFileSync(file, '{"format":"graphwire-token-store/1","value":"trunc');
    const loadError = await caught(store.load('k'));
    expect(isGraphAuthError(loadError)).toBe(true);
    expect(loadError.errorCode).toBe('token_store_corrupt');
    expect(loadError.message).toContain(file);
    expect(loadError.message).toMatch(/^\[@graphwire\/msal-node\].*delete it/);
    expect((await caught(store.save('k', 'new'))).errorCode).toBe('token_store_corrupt');
    expect(readFileSync(file, 'utf8')).toBe('{"format":"graphwire-token-store/1","value":"trunc');
  });

  it('encrypts at rest; a wrong or missing key is a clear error, never garbage', async () => {
    const directory = dir();
    const store = new FileTokenStore({ directory, encryptionKey: KEY });
    await store.save('k', '{"RefreshToken":{"x":{"secret":"rt-plaintext-marker"}}}');
    const file = store.pathFor('k');
    expect(readFileSync(file, 'utf8')).not.toContain('rt-plaintext-marker');
    expect(await new FileTokenStore({ directory, encryptionKey: Buffer.alloc(32, 7) }).load('k')).toContain('rt-plaintext-marker');

    const wrong = await caught(new FileTokenStore({ directory, encryptionKey: OTHER_KEY }).load('k'));
    expect(wrong.errorCode).toBe('token_store_decrypt_failed');
    expect(wrong.message).toContain(file);
    expect(wrong.message).not.toContain(OTHER_KEY);
    expect((await caught(new FileTokenStore({ directory, encryptionKey: OTHER_KEY }).save('k', 'x'))).errorCode).toBe('token_store_decrypt_failed');
    const missing = await caught(new FileTokenStore({ directory, encryptionKey: '' }).load('k'));
    expect(missing.errorCode).toBe('token_store_encrypted');
    expect(missing.message).toContain(ENCRYPTION_KEY_ENV);

    // A sealed value is bound to its key name: a file copied under another name does not decrypt.
    writeFileSync(store.pathFor('other'), readFileSync(file));
    expect((await caught(store.load('other'))).errorCode).toBe('token_store_decrypt_failed');
  });

  it('opens files written by the former node:crypto sealing (the format did not change)', async () => {
    const directory = dir();
    const store = new FileTokenStore({ directory, encryptionKey: KEY });
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(KEY, 'base64'), iv);
    cipher.setAAD(Buffer.from('k', 'utf8'));
    const data = Buffer.concat([cipher.update('written-before', 'utf8'), cipher.final()]);
    const sealed = { alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    writeFileSync(store.pathFor('k'), JSON.stringify({ format: 'graphwire-token-store/1', sealed }));
    expect(await store.load('k')).toBe('written-before');
  });

  it('takes the key from GRAPHWIRE_TOKEN_KEY and rejects a malformed key without echoing it', async () => {
    const directory = dir();
    process.env[ENCRYPTION_KEY_ENV] = KEY;
    try {
      await new FileTokenStore({ directory }).save('k', 'v');
    } finally {
      delete process.env[ENCRYPTION_KEY_ENV];
    }
    expect(readFileSync(new FileTokenStore({ directory, encryptionKey: KEY }).pathFor('k'), 'utf8')).toContain('"sealed"');
    expect(await new FileTokenStore({ directory, encryptionKey: KEY }).load('k')).toBe('v');
    expect(() => new FileTokenStore({ directory, encryptionKey: 'short-passphrase' })).toThrow(/encryptionKey.*32 bytes.*openssl rand/);
    expect(() => new FileTokenStore({ directory, encryptionKey: 'short-passphrase' })).not.toThrow(/short-passphrase/);
  });

  it('fails at construction when the directory cannot be written', () => {
    const parentIsFile = path.join(dir(), 'file');
    writeFileSync(parentIsFile, '');
    expect(() => new FileTokenStore({ directory: path.join(parentIsFile, 'tokens') }))
      .toThrow(/\[@graphwire\/msal-node\] cannot write to the token directory .*ENOTDIR.*option `directory`/);

    // Read-only: root ignores permission bits, so use the immutable attribute there.
    const readOnly = path.join(dir(), 'ro');
    mkdirSync(readOnly);
    const root = process.getuid?.() === 0;
    if (root) execFileSync('chattr', ['+i', readOnly]);
    else chmodSync(readOnly, 0o500);
    cleanups.unshift(() => (root ? execFileSync('chattr', ['-i', readOnly]) : chmodSync(readOnly, 0o700)));
    let error: unknown;
    try {
      new FileTokenStore({ directory: readOnly });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ errorCode: 'token_store_unwritable' });
    expect((error as Error).message).toContain(readOnly);
  });

  it('lock() excludes other callers of the same key and lets others run', async () => {
    const store = new FileTokenStore({ directory: dir() });
    let inside = 0;
    let most = 0;
    const work = (key: string) => store.lock(key, async () => {
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inside -= 1;
    });
    await Promise.all(Array.from({ length: 5 }, () => work('a')));
    expect(most).toBe(1);
    // Re-entrant: nesting the same key in one call chain does not deadlock.
    expect(await store.lock('a', () => store.lock('a', async () => 42))).toBe(42);
  });
});
