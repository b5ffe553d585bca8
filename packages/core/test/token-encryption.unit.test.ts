import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealedToken, openToken, parseEncryptionKey, sealToken, type SealedToken } from '@graphwire/core';

const KEY = new Uint8Array(32).fill(7);
const OTHER = new Uint8Array(32).fill(9);

// FileTokenStore's format as node:crypto wrote it before the core took encryption over.
function nodeSeal(key: Uint8Array, plaintext: string, associated: string): SealedToken {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function nodeOpen(key: Uint8Array, sealed: SealedToken, associated: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}

describe('sealToken / openToken (WebCrypto AES-256-GCM)', () => {
  it('round-trips, with a fresh IV each time and nothing in clear', async () => {
    const text = '{"RefreshToken":{"x":{"secret":"rt-marker-é✓"}}}';
    const a = await sealToken(KEY, text, 'msal.app');
    const b = await sealToken(KEY, text, 'msal.app');
    expect(isSealedToken(a)).toBe(true);
    expect(a.iv).not.toBe(b.iv);
    expect(JSON.stringify(a)).not.toContain('rt-marker');
    expect(await openToken(KEY, a, 'msal.app')).toBe(text);
  });

  it('reads what node:crypto wrote (existing FileTokenStore files) and writes what it reads', async () => {
    const text = 'x'.repeat(1000);
    expect(await openToken(KEY, nodeSeal(KEY, text, 'k'), 'k')).toBe(text);
    expect(nodeOpen(KEY, await sealToken(KEY, text, 'k'), 'k')).toBe(text);
    expect(Buffer.from((await sealToken(KEY, '', 'k')).tag, 'base64')).toHaveLength(16);
  });

  it('rejects a wrong key, another store key and a modified value', async () => {
    const sealed = await sealToken(KEY, 'secret', 'k');
    await expect(openToken(OTHER, sealed, 'k')).rejects.toThrow();
    await expect(openToken(KEY, sealed, 'other')).rejects.toThrow();
    const flipped = Buffer.from(sealed.data, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    await expect(openToken(KEY, { ...sealed, data: flipped.toString('base64') }, 'k')).rejects.toThrow();
    await expect(openToken(KEY, { ...sealed, tag: 'AAAA' }, 'k')).rejects.toThrow();
    expect(isSealedToken({ alg: 'A128GCM', iv: '', tag: '', data: '' })).toBe(false);
  });
});

describe('parseEncryptionKey', () => {
  const raw = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
  const parse = (k: string | Uint8Array | undefined) => parseEncryptionKey(k, '@graphwire/x', "Store: option 'encryptionKey'");

  it('takes 32 bytes raw, as hex or as base64 (standard or URL-safe, padding optional)', () => {
    const b64 = Buffer.from(raw).toString('base64');
    for (const k of [raw, Buffer.from(raw).toString('hex'), Buffer.from(raw).toString('hex').toUpperCase(), b64, b64.replace(/=+$/, ''), Buffer.from(raw).toString('base64url')]) {
      expect(Array.from(parse(k)!)).toEqual(Array.from(raw));
    }
    expect(parse(undefined)).toBeUndefined();
    expect(parse('')).toBeUndefined();
  });

  it('refuses anything else with a TypeError that names the source and never the value', () => {
    for (const k of ['short-passphrase', Buffer.alloc(31).toString('base64'), Buffer.alloc(33).toString('hex'), new Uint8Array(16), 'a'.repeat(44)]) {
      let error: unknown;
      try { parse(k); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^\[@graphwire\/x\] Store: option 'encryptionKey' must be 32 bytes.*openssl rand -base64 32/);
      if (typeof k === 'string') expect((error as Error).message).not.toContain(k);
    }
  });
});
