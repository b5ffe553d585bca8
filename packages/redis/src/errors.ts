import { GraphAuthError, validateOptions, type OptionRules } from '@graphwire/core';

export const PACKAGE = '@graphwire/redis';
export const PREFIX = `[${PACKAGE}]`;

/** Checks an options bag with the shared validator: unknown keys and wrong types are a TypeError. */
export function checkOptions<T>(owner: string, options: T, rules: OptionRules): T {
  return validateOptions(PACKAGE, owner, options, rules);
}

/** Options that cannot work (a client that is not connected): a TypeError naming the fix. */
export function configError(message: string): TypeError {
  return new TypeError(`${PREFIX} ${message}`);
}

/**
 * Why a {@link RedisTokenStoreError} was raised:
 * - `token_store_corrupt`: the entry is not a graphwire token entry (it is kept as it is);
 * - `token_store_encrypted`: the entry is encrypted and the store has no `encryptionKey`;
 * - `token_store_decrypt_failed`: wrong `encryptionKey`, or a modified entry;
 * - `token_store_unavailable`: Redis could not be reached and `onUnavailable` is `'fail'`;
 * - `lock_timeout`: another instance held the lock longer than `lockTimeoutMs`;
 * - `lock_lost`: the lock expired or was taken while held (the work may have overlapped another instance's).
 */
export type RedisTokenStoreErrorCode =
  | 'token_store_corrupt'
  | 'token_store_encrypted'
  | 'token_store_decrypt_failed'
  | 'token_store_unavailable'
  | 'lock_timeout'
  | 'lock_lost';

/**
 * A problem of `RedisTokenStore`, raised to the session that called it (so a Graph call sees it as
 * the `GraphAuthError` it is). `key` names the Redis key involved; messages start with
 * `[@graphwire/redis]` and never contain a token or the encryption key.
 */
export class RedisTokenStoreError extends GraphAuthError {
  /** The Redis key the error is about, e.g. `graphwire:{tokens:msal.<clientId>}`. */
  readonly key: string;
  /** What went wrong (also in `errorCode`, the field every GraphAuthError has). */
  declare readonly errorCode: RedisTokenStoreErrorCode;

  /**
   * @param errorCode - What went wrong.
   * @param key - The Redis key involved.
   * @param message - The explanation, without the `[@graphwire/redis]` prefix.
   * @param cause - The underlying error, if any.
   */
  constructor(errorCode: RedisTokenStoreErrorCode, key: string, message: string, cause?: unknown) {
    super(`${PREFIX} ${message}`, { errorCode, cause });
    this.key = key;
  }
}

/** A short reason for a failed Redis call, for log lines: never a value, never a secret. */
export function reasonOf(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown; code?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message.slice(0, 120) : String(error).slice(0, 120);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
