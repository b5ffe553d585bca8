// Encryption at rest is the core's (one WebCrypto AES-256-GCM implementation shared with
// RedisTokenStore); what stays here is Node's part: the environment variable.
import { parseEncryptionKey as parseKey } from '@graphwire/core';
import { PACKAGE } from './errors.js';

/** Environment variable read when no `encryptionKey` option is given. */
export const ENCRYPTION_KEY_ENV = 'GRAPHWIRE_TOKEN_KEY';

export { openToken as open, sealToken as seal } from '@graphwire/core';

/**
 * Accepts exactly 32 bytes: raw, or as base64 / hex text (the core's rule). A passphrase would need
 * a slow KDF on every process start; a random key (`openssl rand -base64 32`) is both faster and stronger.
 */
export function parseEncryptionKey(key: string | Uint8Array | undefined, source: string): Uint8Array | undefined {
  return parseKey(key, PACKAGE, source);
}
