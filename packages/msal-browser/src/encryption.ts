import type { KeyValueBackend } from './key-value-backend.js';

/** What an encrypted value looks like in IndexedDB: binary, so nothing readable sits on disk. */
export interface SealedValue {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

export interface Cipher {
  seal(plaintext: string, context: string): Promise<SealedValue>;
  /** `undefined` when the value was not sealed by this key (key rotated, value tampered with). */
  open(value: unknown, context: string): Promise<string | undefined>;
}

const KEY_NAME = 'graphwire:encryption-key';

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof value === 'object' && value !== null && 'algorithm' in value && 'usages' in value && 'extractable' in value;
}

function isSealed(value: unknown): value is SealedValue {
  return typeof value === 'object' && value !== null && (value as SealedValue).iv instanceof Uint8Array && (value as SealedValue).data instanceof ArrayBuffer;
}

/**
 * The key is non-extractable: script on the page can use it but never read it, and IndexedDB
 * stores the CryptoKey object itself. Two tabs may race to create it; the transactional update
 * keeps whichever landed first and everyone re-reads that one.
 */
async function loadOrCreateKey(backend: KeyValueBackend): Promise<CryptoKey> {
  const existing = await backend.get(KEY_NAME);
  if (isCryptoKey(existing)) return existing;
  const fresh = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  await backend.update(KEY_NAME, (old) => (isCryptoKey(old) ? old : fresh));
  const stored = await backend.get(KEY_NAME);
  if (!isCryptoKey(stored)) throw new Error('encryption key could not be stored');
  return stored;
}

/** AES-256-GCM with the storage key as additional data, so sealed values cannot be swapped between keys. */
export async function createCipher(backend: KeyValueBackend): Promise<Cipher> {
  const key = await loadOrCreateKey(backend);
  const encoder = new TextEncoder();
  return {
    async seal(plaintext, context) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, key, encoder.encode(plaintext));
      return { iv, data };
    },
    async open(value, context) {
      if (!isSealed(value)) return undefined;
      try {
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: value.iv, additionalData: encoder.encode(context) }, key, value.data);
        return new TextDecoder().decode(plain);
      } catch {
        return undefined;
      }
    },
  };
}
