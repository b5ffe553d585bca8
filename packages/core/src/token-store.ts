import { KeyedMutex } from './keyed-mutex.js';

/**
 * The token loader: where sessions persist what they cache (python-o365's token backend).
 * Values are opaque strings; a store never interprets them.
 */
export interface TokenStore {
  /** The value saved under `key`, or undefined when there is none. */
  load(key: string): Promise<string | undefined>;
  /** Stores `value` under `key`, replacing what was there. */
  save(key: string, value: string): Promise<void>;
  /** Removes `key`; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Runs `fn` while holding a lock shared with other processes or tabs using the same store. */
  lock?<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Keeps values for the life of the process; `lock` serialises callers within it. */
export class MemoryTokenStore implements TokenStore {
  readonly #values = new Map<string, string>();
  readonly #mutex = new KeyedMutex();

  /** The value saved under `key` in this process, or undefined. */
  async load(key: string): Promise<string | undefined> {
    return this.#values.get(key);
  }

  /** Keeps `value` under `key` until it is replaced, deleted or the process ends. */
  async save(key: string, value: string): Promise<void> {
    this.#values.set(key, value);
  }

  /** Forgets `key` (nothing happens when it is missing). */
  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }

  lock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#mutex.run(key, fn);
  }
}
