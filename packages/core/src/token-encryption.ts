// Encryption at rest for token stores, one implementation for every runtime: WebCrypto's AES-GCM
// (`globalThis.crypto.subtle`: Node 20+, browsers, Deno, Bun, workerd). FileTokenStore and
// RedisTokenStore both write this format, so a value sealed by one opens with the other.
import { fromBase64, toBase64 } from './base64.js';

/**
 * A value sealed with AES-256-GCM: a 12-byte random IV, the 16-byte authentication tag and the
 * ciphertext, each as base64. The store key is bound as additional authenticated data, so a value
 * copied under another key fails to open instead of being misread.
 */
export interface SealedToken {
  /** Always `'A256GCM'`. */
  alg: 'A256GCM';
  /** The 12-byte initialisation vector, base64. */
  iv: string;
  /** The 16-byte GCM authentication tag, base64. */
  tag: string;
  /** The ciphertext, base64. */
  data: string;
}

const TAG_BYTES = 16;
const KEY_BYTES = 32;
const encoder = new TextEncoder();
const keys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

/**
 * The 32-byte key of `key`, given raw (a Uint8Array of 32 bytes) or as 64 hex digits or base64
 * text of 32 bytes; `undefined` and `''` mean "no encryption" and return `undefined`. Anything else
 * throws a TypeError `[pkg] <source> must be 32 bytes…` that never echoes the value. A passphrase
 * is refused on purpose: it would need a slow KDF on every start, and a random key
 * (`openssl rand -base64 32`) is both faster and stronger.
 *
 * @param key - The key as the user gave it.
 * @param pkg - The package named in the error, e.g. `'@graphwire/redis'`.
 * @param source - Where the key came from, e.g. `"RedisTokenStore: option 'encryptionKey'"`.
 */
export function parseEncryptionKey(key: string | Uint8Array | undefined, pkg: string, source: string): Uint8Array | undefined {
  if (key === undefined || key === '') return undefined;
  if (typeof key !== 'string') {
    if (key instanceof Uint8Array && key.byteLength === KEY_BYTES) return Uint8Array.from(key);
  } else if (/^[0-9a-f]{64}$/i.test(key)) {
    return Uint8Array.from(key.match(/../g)!, (h) => parseInt(h, 16));
  } else if (/^[A-Za-z0-9+/_-]+=*$/.test(key)) {
    // Standard or URL-safe alphabet, padding optional (as Node's base64 decoder reads it).
    const bare = key.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
    const bytes = fromBase64(bare.padEnd(Math.ceil(bare.length / 4) * 4, '='));
    if (bytes?.length === KEY_BYTES) return bytes;
  }
  throw new TypeError(`[${pkg}] ${source} must be 32 bytes, given raw or as base64 or hex text; generate one with \`openssl rand -base64 32\``);
}

/**
 * Encrypts `plaintext` with AES-256-GCM under `key` (32 bytes, see {@link parseEncryptionKey}),
 * binding `associated` (the store key) as additional authenticated data.
 */
export async function sealToken(key: Uint8Array, plaintext: string, associated: string): Promise<SealedToken> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const out = new Uint8Array(await subtle().encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(associated), tagLength: TAG_BYTES * 8 },
    await cryptoKey(key),
    encoder.encode(plaintext),
  ));
  // WebCrypto returns ciphertext || tag; the stored format keeps them apart.
  return {
    alg: 'A256GCM',
    iv: toBase64(iv),
    tag: toBase64(out.subarray(out.length - TAG_BYTES)),
    data: toBase64(out.subarray(0, out.length - TAG_BYTES)),
  };
}

/**
 * Decrypts what {@link sealToken} produced (or FileTokenStore wrote). Rejects on a wrong key, a
 * different `associated` value or a modified value: GCM authentication never returns garbage.
 */
export async function openToken(key: Uint8Array, sealed: SealedToken, associated: string): Promise<string> {
  const iv = fromBase64(sealed.iv);
  const tag = fromBase64(sealed.tag);
  const data = fromBase64(sealed.data);
  if (!iv || !tag || !data || tag.length !== TAG_BYTES || iv.length === 0) throw new TypeError('sealed value is not valid base64 AES-GCM');
  const joined = new Uint8Array(data.length + tag.length);
  joined.set(data);
  joined.set(tag, data.length);
  const plain = await subtle().decrypt(
    { name: 'AES-GCM', iv: owned(iv), additionalData: encoder.encode(associated), tagLength: TAG_BYTES * 8 },
    await cryptoKey(key),
    joined,
  );
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}

/** The format tag of {@link TokenEnvelope}: what FileTokenStore and RedisTokenStore write. */
export const TOKEN_ENVELOPE_FORMAT = 'graphwire-token-store/1';

/**
 * How token stores keep a value (JSON text): in clear as `value`, or encrypted as `sealed`. The same
 * format in a file and in Redis, so an entry moves between stores unchanged (sealed with the same key).
 */
export interface TokenEnvelope {
  /** Always {@link TOKEN_ENVELOPE_FORMAT}. */
  format: typeof TOKEN_ENVELOPE_FORMAT;
  /** The value in clear, when it was stored without an encryption key. */
  value?: string;
  /** The value encrypted with {@link sealToken}, when it was stored with a key. */
  sealed?: SealedToken;
}

/** The envelope in `text`, or undefined when `text` is not one (truncated, edited, something else). */
export function parseTokenEnvelope(text: string): TokenEnvelope | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const e = data as Partial<TokenEnvelope>;
  if (e.format !== TOKEN_ENVELOPE_FORMAT) return undefined;
  if (typeof e.value === 'string') return { format: TOKEN_ENVELOPE_FORMAT, value: e.value };
  if (isSealedToken(e.sealed)) return { format: TOKEN_ENVELOPE_FORMAT, sealed: e.sealed };
  return undefined;
}

/** True when `value` has the shape of a {@link SealedToken} (it may still fail to open). */
export function isSealedToken(value: unknown): value is SealedToken {
  const s = value as Partial<SealedToken> | null;
  return typeof s === 'object' && s !== null && s.alg === 'A256GCM'
    && typeof s.iv === 'string' && typeof s.tag === 'string' && typeof s.data === 'string';
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new TypeError('encryption at rest needs WebCrypto (crypto.subtle): use a secure context (https or localhost) or a current runtime');
  return s;
}

/** A copy on a plain ArrayBuffer, which is what WebCrypto's BufferSource type asks for. */
function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

function cryptoKey(key: Uint8Array): Promise<CryptoKey> {
  if (key.byteLength !== KEY_BYTES) return Promise.reject(new TypeError(`an AES-256-GCM key is ${KEY_BYTES} bytes (got ${key.byteLength})`));
  let imported = keys.get(key);
  if (!imported) {
    imported = subtle().importKey('raw', owned(key), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    keys.set(key, imported);
  }
  return imported;
}
