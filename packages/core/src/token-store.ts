import { KeyedMutex } from './keyed-mutex.js';

/**
 * The token loader: where sessions persist what they cache (python-o365's token backend).
 * Values are opaque strings; a store never interprets them.
 */
export interface TokenStore {
  load(key: string): Promise<string | undefined>;
  save(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Runs `fn` while holding a lock shared with other processes or tabs using the same store. */
  lock?<T>(key: string, fn: () => Promise<T>): Promise<T>;
}


/** Keeps values for the life of the process; `lock` serialises callers within it. */
export class MemoryTokenStore implements TokenStore {
  readonly #values = new Map<string, string>();
  readonly #mutex = new KeyedMutex();

  async load(key: string): Promise<string | undefined> {
    return this.#values.get(key);
  }

  async save(key: string, value: string): Promise<void> {
    this.#values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }

  lock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#mutex.run(key, fn);
  }
}
