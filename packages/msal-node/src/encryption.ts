import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { configError } from './errors.js';

/** Environment variable read when no `encryptionKey` option is given. */
export const ENCRYPTION_KEY_ENV = 'GRAPHWIRE_TOKEN_KEY';

export interface Sealed {
  alg: 'A256GCM';
  iv: string;
  tag: string;
  data: string;
}

/**
 * Accepts exactly 32 bytes: raw, or as base64 / hex text. A passphrase would need a slow KDF on
 * every process start; a random key (`openssl rand -base64 32`) is both faster and stronger.
 */
export function parseEncryptionKey(key: string | Uint8Array | undefined, source: string): Buffer | undefined {
  if (key === undefined || key === '') return undefined;
  if (typeof key !== 'string') {
    if (key.byteLength === 32) return Buffer.from(key);
  } else if (/^[0-9a-f]{64}$/i.test(key)) {
    return Buffer.from(key, 'hex');
  } else {
    const bytes = Buffer.from(key, 'base64');
    if (bytes.length === 32 && /^[A-Za-z0-9+/_-]+=*$/.test(key)) return bytes;
  }
  throw configError(`${source} must be 32 bytes, given raw or as base64 or hex text; generate one with \`openssl rand -base64 32\``);
}

export function seal(key: Buffer, plaintext: string, associated: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // Binding the store key means a file copied under another name fails to decrypt instead of being misread.
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Throws (GCM authentication failure) on a wrong key or a modified file; never returns garbage. */
export function open(key: Buffer, sealed: Sealed, associated: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}
