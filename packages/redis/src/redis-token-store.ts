import { AsyncLocalStorage } from 'node:async_hooks';
import {
  MemoryTokenStore, openToken, optionRules as rules, parseEncryptionKey, parseTokenEnvelope, sealToken,
  oneOf, TOKEN_ENVELOPE_FORMAT, type Logger, type OptionRules, type TokenEnvelope, type TokenStore,
} from '@graphwire/core';
import { isServerError, RedisCalls, resolveLogger, Unavailable, type RedisLogger } from './availability.js';
import { CLIENT_EXPECTED, isRedisClient, requireOpen, type RedisClientLike } from './client.js';
import { checkOptions, PACKAGE, PREFIX, reasonOf, RedisTokenStoreError } from './errors.js';
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
  /**
   * Give up waiting for the lock after this long (default 30 000 ms), whether another instance or
   * another caller in this process holds it: `lock` rejects with `lock_timeout`.
   */
  lockTimeoutMs?: number;
  /**
   * The longest one `lock` call keeps the distributed lock (default 300 000 ms, 5 minutes): renewal
   * stops then, so an `fn` that never settles frees the other instances within this plus `lockTtlMs`;
   * that `lock` call then rejects with `lock_lost` once `fn` settles.
   */
  lockMaxHoldMs?: number;
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
  lockMaxHoldMs: { ...rules.positiveMilliseconds, aliases: ['lockMaxHold', 'maxHoldMs', 'maxHold'] },
  commandTimeoutMs: { ...rules.positiveMilliseconds, aliases: ['commandTimeout', 'timeoutMs'] },
  onUnavailable: { ...oneOf('memory', 'fail'), aliases: ['fallback', 'onError', 'degrade'] },
  logger: { ...rules.object, aliases: ['log'] },
};

const OWNER = 'RedisTokenStore';
// Writes back a change made during an outage: only if the entry is still what this instance last
// saw there (ARGV[1] '1': the text ARGV[2]; '0': no entry). Returns 1 written, 2 already so, 0 changed meanwhile.
const WRITE_BACK = `local cur = redis.call('get', KEYS[1])
local want = false
if ARGV[3] == '1' then want = ARGV[4] end
if cur == want then return 2 end
if ARGV[1] == '1' then if cur ~= ARGV[2] then return 0 end elseif cur then return 0 end
if ARGV[3] == '1' then redis.call('set', KEYS[1], ARGV[4]) else redis.call('del', KEYS[1]) end
return 1`;

/** A change made while Redis was unavailable, to write back: the entry text, or null for a delete. */
interface Pending {
  text: string | null;
}

/** A lock held by a call chain: nested `lock` calls of that chain run one at a time while it is active. */
interface Hold {
  active: boolean;
  tail: Promise<void>;
}

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
  readonly #tails = new Map<string, Promise<void>>();
  readonly #held = new AsyncLocalStorage<ReadonlyMap<string, Hold>>();
  /** The entry text last seen in Redis per key (null: none), the base an outage change is written back against. */
  readonly #seen = new Map<string, string | null>();
  readonly #pending = new Map<string, Pending>();
  #flushing: Promise<void> | undefined;

  constructor(options: RedisTokenStoreOptions) {
    checkOptions(OWNER, options, REDIS_TOKEN_STORE_RULES);
    requireOpen(OWNER, options.client);
    this.keyPrefix = options.keyPrefix ?? 'graphwire:';
    this.#key = parseEncryptionKey(options.encryptionKey, PACKAGE, `${OWNER}: option 'encryptionKey'`);
    this.#timing = { ttlMs: options.lockTtlMs ?? 10_000, timeoutMs: options.lockTimeoutMs ?? 30_000, maxHoldMs: options.lockMaxHoldMs ?? 300_000 };
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
   * or is encrypted and the key is missing or wrong. Redis unavailable: this instance's last copy
   * (also until a change made here during an outage is written back).
   */
  async load(key: string): Promise<string | undefined> {
    let text: unknown;
    try {
      if (this.#pending.has(key)) await this.#writeBack(key);
      text = await this.#calls.send(this.redisKey(key), ['GET', this.redisKey(key)]);
    } catch (error) {
      return this.#degrade(error, this.redisKey(key), key, () => this.#memory.load(key));
    }
    this.#recovered();
    if (text === null || text === undefined) {
      this.#seen.set(key, null);
      await this.#memory.delete(key);
      return undefined;
    }
    this.#seen.set(key, asText(text));
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
    let text: string | undefined;
    try {
      // Reading first is what refuses to replace a corrupt entry or one sealed with another key.
      const existing = await this.#calls.send(redisKey, ['GET', redisKey]);
      if (existing !== null && existing !== undefined) await this.#decode(key, asText(existing));
      text = await this.#envelope(key, value);
      await this.#calls.send(redisKey, ['SET', redisKey, text]);
    } catch (error) {
      await this.#degrade(error, redisKey, key, async () => {
        // Written back once Redis answers again (see `#writeBack`).
        this.#pending.set(key, { text: text ?? await this.#envelope(key, value) });
        await this.#memory.save(key, value);
      });
      return;
    }
    this.#pending.delete(key); // superseded
    this.#seen.set(key, text);
    await this.#memory.save(key, value);
    this.#recovered();
  }

  /** Removes `key` (no error when there is none), in Redis and in this instance's memory. */
  async delete(key: string): Promise<void> {
    await this.#memory.delete(key);
    try {
      await this.#calls.send(this.redisKey(key), ['DEL', this.redisKey(key)]);
    } catch (error) {
      await this.#degrade(error, this.redisKey(key), key, async () => { this.#pending.set(key, { text: null }); });
      return;
    }
    this.#pending.delete(key);
    this.#seen.set(key, null);
    this.#recovered();
  }

  /**
   * Runs `fn` holding the distributed lock of `key` (`<prefix>{tokens:<key>}:lock`), excluding every
   * instance using this store's keys. Callers in this process queue in memory first, so only one of
   * them polls Redis. A `lock(key)` call made inside `fn` while it runs is re-entrant (it does not
   * wait for the lock `fn` holds), but such nested calls run one at a time; once the outer call has
   * settled, a call from work `fn` left running queues like any other. Rejects with a
   * `RedisTokenStoreError`: `lock_timeout` after `lockTimeoutMs` (waiting on this process or on another
   * instance), or `lock_lost` (after `fn` settles) when the lock expired or was taken while held, when
   * Redis could not confirm it before it would have expired, or after `lockMaxHoldMs`.
   * With Redis unavailable when the lock is taken, `fn` runs under this process's lock alone.
   */
  lock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const held = this.#held.getStore();
    const hold = held?.get(key);
    if (hold?.active) return this.#nested(key, held!, hold, fn);
    return this.#queued(key, held, fn);
  }

  /** A nested call of the chain holding `key`: after the earlier nested calls, still under the outer lock. */
  async #nested<T>(key: string, held: ReadonlyMap<string, Hold>, hold: Hold, fn: () => Promise<T>): Promise<T> {
    const previous = hold.tail;
    let done!: () => void;
    hold.tail = new Promise<void>((resolve) => { done = resolve; });
    try {
      await previous;
      if (!hold.active) return await this.#queued(key, held, fn); // the outer call settled meanwhile
      const inner: Hold = { active: true, tail: Promise.resolve() };
      try {
        return await this.#held.run(new Map([...held, [key, inner]]), fn);
      } finally {
        inner.active = false;
      }
    } finally {
      done();
    }
  }

  /** Waits for this process's earlier callers of `key` (at most `lockTimeoutMs`), then takes the distributed lock. */
  async #queued<T>(key: string, held: ReadonlyMap<string, Hold> | undefined, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const previous = this.#tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => { release = resolve; });
    const tail = (previous ?? Promise.resolve()).then(() => mine);
    this.#tails.set(key, tail);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      if (previous) {
        const turn = await Promise.race([
          previous.then(() => true),
          new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), this.#timing.timeoutMs); }),
        ]);
        if (!turn) {
          const lockKey = this.lockKey(key);
          throw new RedisTokenStoreError('lock_timeout', lockKey, `${lockKey} stayed locked by another caller in this process for ${this.#timing.timeoutMs} ms (option \`lockTimeoutMs\`)`);
        }
      }
      return await this.#locked(key, held, fn, Math.max(0, this.#timing.timeoutMs - (Date.now() - started)));
    } finally {
      clearTimeout(timer);
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  async #locked<T>(key: string, held: ReadonlyMap<string, Hold> | undefined, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    const lockKey = this.lockKey(key);
    const hold: Hold = { active: true, tail: Promise.resolve() };
    const inside = async () => {
      try {
        return await this.#held.run(new Map([...(held ?? []), [key, hold]]), fn);
      } finally {
        hold.active = false;
      }
    };
    const onLost = (detail: string) => {
      this.#logger.warn(`${PREFIX} ${OWNER}: the lock ${lockKey} was lost while held (${detail}); another instance may work at the same time`);
    };
    let lease;
    try {
      lease = await acquire(this.#calls, lockKey, { ...this.#timing, timeoutMs }, onLost);
    } catch (error) {
      return this.#degrade(error, lockKey, key, inside);
    }
    this.#recovered();
    if (lease === 'timeout') {
      throw new RedisTokenStoreError('lock_timeout', lockKey, `${lockKey} stayed locked by another instance for ${this.#timing.timeoutMs} ms (option \`lockTimeoutMs\`); a holder that died frees it within \`lockTtlMs\` (${this.#timing.ttlMs} ms)`);
    }
    let result: T;
    try {
      result = await inside();
    } finally {
      await lease.release();
    }
    const end = lease.end;
    if (end?.state === 'lost') {
      throw new RedisTokenStoreError('lock_lost', lockKey, `the lock ${lockKey} was lost while held: ${end.detail} (a step took longer than \`lockTtlMs\`, ${this.#timing.ttlMs} ms, Redis was unreachable that long, or the key was removed); retry the operation`);
    }
    if (end?.state === 'unknown' && this.#fail) throw this.#unavailableError(key, end.error);
    return result;
  }

  /** A successful call: writes back the changes made during an outage, in the background. */
  #recovered(): void {
    if (this.#pending.size === 0 || this.#flushing) return;
    this.#flushing = (async () => {
      try {
        for (const key of [...this.#pending.keys()]) await this.#writeBack(key);
      } catch {
        // Unavailable again (or a server error): tried again after the next successful call, or by `load`.
      } finally {
        this.#flushing = undefined;
      }
    })();
  }

  /**
   * Writes back the change made to `key` during an outage, if Redis still holds what this instance
   * last saw there; if another instance changed it meanwhile, Redis's value is kept and a warning
   * says this instance's change was dropped. Rejects with {@link Unavailable} when Redis still is.
   */
  async #writeBack(key: string): Promise<void> {
    const pending = this.#pending.get(key);
    if (!pending) return;
    const redisKey = this.redisKey(key);
    const base = this.#seen.get(key) ?? null;
    const reply = await this.#calls.send(redisKey, [
      'EVAL', WRITE_BACK, '1', redisKey, base === null ? '0' : '1', base ?? '', pending.text === null ? '0' : '1', pending.text ?? '',
    ]);
    if (this.#pending.get(key) !== pending) return; // changed again meanwhile: that change is written next
    this.#pending.delete(key);
    if (Number(reply) === 0) {
      this.#logger.warn(`${PREFIX} ${OWNER}: ${redisKey} changed in Redis while Redis was unavailable here (another instance wrote it, or Redis restarted empty); this instance's ${pending.text === null ? 'delete' : 'save'} of it in the outage was dropped and Redis's value kept`);
      this.#seen.delete(key);
      await this.#memory.delete(key); // the next load reads Redis's value
    } else {
      this.#seen.set(key, pending.text);
    }
  }

  async #envelope(key: string, value: string): Promise<string> {
    const envelope: TokenEnvelope = this.#key
      ? { format: TOKEN_ENVELOPE_FORMAT, sealed: await sealToken(this.#key, value, key) }
      : { format: TOKEN_ENVELOPE_FORMAT, value };
    return JSON.stringify(envelope);
  }

  /**
   * Redis is unavailable: the memory fallback, or the typed error with `'fail'`. A server error
   * reply (`WRONGTYPE`: the key holds a hash or a list) becomes a `RedisTokenStoreError` naming `redisKey`.
   */
  async #degrade<T>(error: unknown, redisKey: string, key: string, fallback: () => Promise<T>): Promise<T> {
    if (!(error instanceof Unavailable)) {
      if (isServerError(error) && !(error instanceof RedisTokenStoreError)) {
        throw new RedisTokenStoreError('token_store_corrupt', redisKey, `${redisKey} is not a graphwire entry (Redis replied: ${reasonOf(error)}); it was left as it is: delete it (\`DEL ${redisKey}\`) or use another \`keyPrefix\``, error);
      }
      throw error;
    }
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
