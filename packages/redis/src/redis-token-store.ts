import { AsyncLocalStorage } from 'node:async_hooks';
import {
  KeyedMutex, MemoryTokenStore, openToken, optionRules as rules, parseEncryptionKey, parseTokenEnvelope, sealToken,
  oneOf, TOKEN_ENVELOPE_FORMAT, type Logger, type OptionRules, type TokenEnvelope, type TokenStore,
} from '@graphwire/core';
import { RedisCalls, resolveLogger, Unavailable, type RedisLogger } from './availability.js';
import { CLIENT_EXPECTED, isRedisClient, requireOpen, type RedisClientLike } from './client.js';
import { checkOptions, PACKAGE, PREFIX, RedisTokenStoreError } from './errors.js';
import { acquire, type LockTiming } from './redis-lock.js';

/** Options of `new RedisTokenStore()`; an unknown key or a wrong type throws a `TypeError`. */
export interface RedisTokenStoreOptions {
  /** A connected client of the `redis` package (required); graphwire never opens or closes it. */
  client: RedisClientLike;
  /** Put before every key (default `'graphwire:'`): entries are `<prefix>{tokens:<key>}`. */
  keyPrefix?: string;
  /**
   * AES-256-GCM key for encryption at rest: 32 bytes, raw or base64 / hex text, as FileTokenStore's
   * (an entry is the same JSON as a FileTokenStore file). Without it, entries are plain JSON.
   */
  encryptionKey?: string | Uint8Array;
  /**
   * The lock expires this long after its last renewal (default 10 000 ms, at least 1000); the holder
   * renews it every `lockTtlMs / 3`. A holder that dies blocks the others for at most this long.
   */
  lockTtlMs?: number;
  /** Give up waiting for another instance's lock after this long (default 30 000 ms). */
  lockTimeoutMs?: number;
  /** A Redis call with no reply within this many ms counts as Redis being unavailable (default 1000). */
  commandTimeoutMs?: number;
  /**
   * When Redis is unreachable: `'memory'` (default) keeps working on this instance's own memory
   * (MSAL gets a token locally, at worst once per instance) with one warning per outage;
   * `'fail'` rejects with a `RedisTokenStoreError` (`token_store_unavailable`) instead.
   */
  onUnavailable?: 'memory' | 'fail';
  /** Where the outage warning and the recovery line go (default `console`). */
  logger?: Partial<Logger>;
}

export const REDIS_TOKEN_STORE_RULES: OptionRules = {
  client: { expected: CLIENT_EXPECTED, test: isRedisClient, required: true, aliases: ['redis', 'connection', 'redisClient'] },
  keyPrefix: { ...rules.string, aliases: ['prefix', 'namespace'] },
  encryptionKey: {
    expected: 'a string (32 bytes as base64 or hex text) or a Uint8Array of 32 bytes',
    test: (v) => typeof v === 'string' || v instanceof Uint8Array,
    aliases: ['key', 'encryption_key', 'secret', 'password'],
  },
  lockTtlMs: {
    expected: 'a number of milliseconds from 1000 to 2147483647 (the lock is renewed every lockTtlMs / 3)',
    test: (v) => Number.isInteger(v) && (v as number) >= 1000 && (v as number) <= 2_147_483_647,
    aliases: ['lockTtl', 'ttl', 'lockStaleMs'],
  },
  lockTimeoutMs: { ...rules.milliseconds, aliases: ['lockTimeout', 'timeout'] },
  commandTimeoutMs: { ...rules.positiveMilliseconds, aliases: ['commandTimeout', 'timeoutMs'] },
  onUnavailable: { ...oneOf('memory', 'fail'), aliases: ['fallback', 'onError', 'degrade'] },
  logger: { ...rules.object, aliases: ['log'] },
};

const OWNER = 'RedisTokenStore';

/**
 * A `TokenStore` on Redis, for several instances of a service sharing one MSAL cache
 * (`new MsalNodeSession({ tokenStore: new RedisTokenStore({ client }) })`): entries are the same
 * JSON as FileTokenStore's files (optionally AES-256-GCM encrypted), and `lock` is a distributed
 * lock, so "reload the cache, then acquire or refresh" happens once across the fleet. When Redis is
 * unreachable it degrades to this instance's memory (see `onUnavailable`).
 */
export class RedisTokenStore implements TokenStore {
  /** The prefix of every key this store writes. */
  readonly keyPrefix: string;
  readonly #calls: RedisCalls;
  readonly #key: Uint8Array | undefined;
  readonly #timing: LockTiming;
  readonly #fail: boolean;
  readonly #logger: RedisLogger;
  readonly #memory = new MemoryTokenStore();
  readonly #queue = new KeyedMutex();
  readonly #held = new AsyncLocalStorage<ReadonlySet<string>>();

  constructor(options: RedisTokenStoreOptions) {
    checkOptions(OWNER, options, REDIS_TOKEN_STORE_RULES);
    requireOpen(OWNER, options.client);
    this.keyPrefix = options.keyPrefix ?? 'graphwire:';
    this.#key = parseEncryptionKey(options.encryptionKey, PACKAGE, `${OWNER}: option 'encryptionKey'`);
    this.#timing = { ttlMs: options.lockTtlMs ?? 10_000, timeoutMs: options.lockTimeoutMs ?? 30_000 };
    this.#fail = options.onUnavailable === 'fail';
    this.#logger = resolveLogger(options.logger);
    this.#calls = new RedisCalls({
      client: options.client,
      timeoutMs: options.commandTimeoutMs ?? 1000,
      logger: this.#logger,
      owner: OWNER,
      degraded: this.#fail ? 'token store calls fail' : "this instance keeps its tokens in its own memory (it may get a token on its own)",
    });
  }

  /**
   * The Redis key of `key`: `<prefix>{tokens:<key>}`. The braces are a hash tag: the entry and its
   * lock (`…:lock`) live in one slot, so the lock's scripts also run on Redis Cluster.
   */
  redisKey(key: string): string {
    return `${this.keyPrefix}{tokens:${key}}`;
  }

  /** The Redis key of the lock of `key`: {@link RedisTokenStore.redisKey} + `:lock`. */
  lockKey(key: string): string {
    return `${this.redisKey(key)}:lock`;
  }

  /**
   * The value saved under `key`, or undefined when there is none. Rejects with a
   * {@link RedisTokenStoreError} naming the Redis key when the entry is not a graphwire token entry,
   * or is encrypted and the key is missing or wrong. Redis unavailable: this instance's last copy.
   */
  async load(key: string): Promise<string | undefined> {
    let text: unknown;
    try {
      text = await this.#calls.send(this.redisKey(key), ['GET', this.redisKey(key)]);
    } catch (error) {
      return this.#degrade(error, key, () => this.#memory.load(key));
    }
    if (text === null || text === undefined) {
      await this.#memory.delete(key);
      return undefined;
    }
    const value = await this.#decode(key, asText(text));
    await this.#memory.save(key, value);
    return value;
  }

  /**
   * Replaces the value under `key` (encrypted when a key is set). Rejects, leaving the entry as it
   * is, when `load` would refuse it. Redis unavailable: kept in this instance's memory only.
   */
  async save(key: string, value: string): Promise<void> {
    const redisKey = this.redisKey(key);
    try {
      // Reading first is what refuses to replace a corrupt entry or one sealed with another key.
      const existing = await this.#calls.send(redisKey, ['GET', redisKey]);
      if (existing !== null && existing !== undefined) await this.#decode(key, asText(existing));
      const envelope: TokenEnvelope = this.#key
        ? { format: TOKEN_ENVELOPE_FORMAT, sealed: await sealToken(this.#key, value, key) }
        : { format: TOKEN_ENVELOPE_FORMAT, value };
      await this.#calls.send(redisKey, ['SET', redisKey, JSON.stringify(envelope)]);
    } catch (error) {
      await this.#degrade(error, key, () => this.#memory.save(key, value));
      return;
    }
    await this.#memory.save(key, value);
  }

  /** Removes `key` (no error when there is none), in Redis and in this instance's memory. */
  async delete(key: string): Promise<void> {
    await this.#memory.delete(key);
    try {
      await this.#calls.send(this.redisKey(key), ['DEL', this.redisKey(key)]);
    } catch (error) {
      await this.#degrade(error, key, async () => undefined);
    }
  }

  /**
   * Runs `fn` holding the distributed lock of `key` (`<prefix>{tokens:<key>}:lock`), excluding every
   * instance using this store's keys; re-entrant within one call chain. Callers in this process
   * queue in memory first, so only one of them polls Redis. Rejects with a `RedisTokenStoreError`:
   * `lock_timeout` after `lockTimeoutMs`, or `lock_lost` (after `fn` settles) when the lock expired
   * or was taken while held. With Redis unavailable, `fn` runs under this process's lock alone.
   */
  lock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const held = this.#held.getStore();
    if (held?.has(key)) return fn();
    return this.#queue.run(key, () => this.#locked(key, held, fn));
  }

  async #locked<T>(key: string, held: ReadonlySet<string> | undefined, fn: () => Promise<T>): Promise<T> {
    const lockKey = this.lockKey(key);
    const inside = () => this.#held.run(new Set([...(held ?? []), key]), fn);
    let lease;
    try {
      lease = await acquire(this.#calls, lockKey, this.#timing);
    } catch (error) {
      return this.#degrade(error, key, inside);
    }
    if (lease === 'timeout') {
      throw new RedisTokenStoreError('lock_timeout', lockKey, `${lockKey} stayed locked by another instance for ${this.#timing.timeoutMs} ms (option \`lockTimeoutMs\`); a holder that died frees it within \`lockTtlMs\` (${this.#timing.ttlMs} ms)`);
    }
    let result: T;
    try {
      result = await inside();
    } finally {
      const end = await lease.release();
      if (end.state === 'lost') {
        this.#logger.warn(`${PREFIX} ${OWNER}: the lock ${lockKey} was lost while held (${end.detail}); another instance may have worked at the same time`);
      }
    }
    const end = lease.end;
    if (end?.state === 'lost') {
      throw new RedisTokenStoreError('lock_lost', lockKey, `the lock ${lockKey} was lost while held: ${end.detail} (a step took longer than \`lockTtlMs\`, ${this.#timing.ttlMs} ms, or the key was removed); retry the operation`);
    }
    if (end?.state === 'unknown' && this.#fail) throw this.#unavailableError(key, end.error);
    return result;
  }

  /** Redis is unavailable (or a server error): the memory fallback, or the typed error with `'fail'`. */
  async #degrade<T>(error: unknown, key: string, fallback: () => Promise<T>): Promise<T> {
    if (!(error instanceof Unavailable)) throw error;
    if (this.#fail) throw this.#unavailableError(key, error);
    return fallback();
  }

  #unavailableError(key: string, error: Unavailable): RedisTokenStoreError {
    return new RedisTokenStoreError('token_store_unavailable', this.redisKey(key), `Redis is unavailable (${error.reason}) and RedisTokenStore option \`onUnavailable\` is 'fail'`, error);
  }

  async #decode(key: string, text: string): Promise<string> {
    const redisKey = this.redisKey(key);
    const envelope = parseTokenEnvelope(text);
    if (!envelope) {
      throw new RedisTokenStoreError('token_store_corrupt', redisKey, `${redisKey} is not a graphwire token entry (written by something else, or edited?); it was left as it is: delete it (\`DEL ${redisKey}\`) or use another \`keyPrefix\`, then sign in again`);
    }
    if (envelope.value !== undefined) return envelope.value;
    if (!this.#key) {
      throw new RedisTokenStoreError('token_store_encrypted', redisKey, `${redisKey} is encrypted: pass its key as RedisTokenStore option \`encryptionKey\``);
    }
    try {
      return await openToken(this.#key, envelope.sealed!, key);
    } catch (error) {
      throw new RedisTokenStoreError('token_store_decrypt_failed', redisKey, `cannot decrypt ${redisKey}: wrong encryption key (option \`encryptionKey\`) or a modified entry; use the key it was written with, or delete it and sign in again`, error);
    }
  }
}

/** A GET reply as text (a Buffer when the client maps strings to Buffers). */
function asText(reply: unknown): string {
  if (typeof reply === 'string') return reply;
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply);
  return '';
}
