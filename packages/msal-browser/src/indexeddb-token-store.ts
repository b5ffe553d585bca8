import { optionRules as rules, type OptionRules, type TokenStore } from '@graphwire/core';
import { createCipher, type Cipher } from './encryption.js';
import { leaseLock, webLocks, type LockRunner } from './cross-tab-lock.js';
import { memoryBackend, openIndexedDbBackend, type KeyValueBackend } from './key-value-backend.js';
import { PREFIX, checkOptions } from './errors.js';

/** Options of `new IndexedDbTokenStore()`; an unknown key or a wrong type throws a `TypeError`. */
export interface IndexedDbTokenStoreOptions {
  /** IndexedDB database name; default `graphwire`. Use one per app when several share an origin. */
  databaseName?: string;
  /** Object store inside it; default `tokens`. */
  storeName?: string;
  /** Encrypt values at rest with a non-extractable AES-GCM key kept in the same database. Default false. */
  encrypt?: boolean;
  /** Where the single "storage unavailable" warning goes; default `console.warn`. */
  onWarning?: (message: string) => void;
  /** Lease length of the cross-tab lock where Web Locks are missing; default 60 s. */
  leaseMs?: number;
}

export const INDEXED_DB_TOKEN_STORE_RULES: OptionRules = {
  databaseName: { ...rules.nonEmptyString, aliases: ['database', 'dbName', 'name'] },
  storeName: { ...rules.nonEmptyString, aliases: ['objectStore', 'objectStoreName', 'store'] },
  encrypt: { ...rules.boolean, aliases: ['encrypted', 'encryption'] },
  onWarning: { ...rules.function, aliases: ['onWarn', 'warn'] },
  leaseMs: { ...rules.positiveMilliseconds, aliases: ['lease', 'lockTimeoutMs'] },
};

interface Opened {
  backend: KeyValueBackend;
  cipher: Cipher | undefined;
  lock: LockRunner;
}

/**
 * A `TokenStore` in IndexedDB, shared by every tab of the origin, surviving reloads.
 * Where storage is unavailable (private mode, quota, disabled) it keeps working in memory
 * and warns once, because losing persistence must not break sign-in.
 */
export class IndexedDbTokenStore implements TokenStore {
  readonly #databaseName: string;
  readonly #storeName: string;
  readonly #options: IndexedDbTokenStoreOptions;
  #opened: Promise<Opened> | undefined;
  #warned = false;

  constructor(options: IndexedDbTokenStoreOptions = {}) {
    checkOptions('IndexedDbTokenStore', options, INDEXED_DB_TOKEN_STORE_RULES);
    this.#databaseName = options.databaseName ?? 'graphwire';
    this.#storeName = options.storeName ?? 'tokens';
    this.#options = options;
  }

  /** False once the store has fallen back to memory (or before it is first used). */
  async isPersistent(): Promise<boolean> {
    return (await this.#open()).backend.persistent;
  }

  /** The value saved under `key`; undefined when there is none or, with `encrypt`, it was not sealed with this database's key. */
  async load(key: string): Promise<string | undefined> {
    return this.#run(async ({ backend, cipher }) => {
      const value = await backend.get(key);
      if (cipher) return cipher.open(value, key);
      return typeof value === 'string' ? value : undefined;
    });
  }

  /** Stores `value` under `key`, encrypted when `encrypt` is set; in memory once IndexedDB has failed. */
  async save(key: string, value: string): Promise<void> {
    await this.#run(async ({ backend, cipher }) => backend.set(key, cipher ? await cipher.seal(value, key) : value));
  }

  /** Removes the value under `key`; no error when there is none. */
  async delete(key: string): Promise<void> {
    await this.#run(({ backend }) => backend.del(key));
  }

  async lock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = `graphwire:${this.#databaseName}/${this.#storeName}:${key}`;
    const current = this.#open();
    const opened = await current;
    let entered = false;
    try {
      return await opened.lock(name, () => {
        entered = true;
        return fn();
      });
    } catch (error) {
      // Only a failure of the lease itself (IndexedDB refusing the write) demotes; fn's own errors are the caller's.
      if (entered || !opened.backend.persistent) throw error;
      this.#demote(error, current);
      return (await this.#open()).lock(name, fn);
    }
  }

  #open(): Promise<Opened> {
    this.#opened ??= (async () => {
      const backend = await openIndexedDbBackend(this.#databaseName, this.#storeName);
      if (backend) return this.#prepare(backend);
      this.#warn('IndexedDB is unavailable');
      return this.#prepare(memoryBackend());
    })();
    return this.#opened;
  }

  async #prepare(backend: KeyValueBackend): Promise<Opened> {
    const lock = webLocks() ?? leaseLock(backend, this.#options.leaseMs ?? 60_000);
    const cipher = this.#options.encrypt ? await createCipher(backend) : undefined;
    return { backend, cipher, lock };
  }

  // A failing IndexedDB (quota exceeded, database closed or deleted under us) demotes the store
  // to memory for the rest of the page's life, and the operation is retried there once.
  async #run<T>(operation: (opened: Opened) => Promise<T>): Promise<T> {
    const current = this.#open();
    const opened = await current;
    try {
      return await operation(opened);
    } catch (error) {
      if (!opened.backend.persistent) throw error;
      this.#demote(error, current);
      return operation(await this.#open());
    }
  }

  /** Concurrent failures of one backend demote it once (and warn once). */
  #demote(error: unknown, failed: Promise<Opened>): void {
    this.#warn(`IndexedDB failed (${error instanceof Error ? error.name : 'unknown error'})`);
    if (this.#opened === failed) this.#opened = this.#prepare(memoryBackend());
  }

  #warn(reason: string): void {
    if (this.#warned) return;
    this.#warned = true;
    const message = `${PREFIX} ${reason}: tokens are kept in memory only and will not survive a reload`;
    (this.#options.onWarning ?? console.warn)(message);
  }
}
