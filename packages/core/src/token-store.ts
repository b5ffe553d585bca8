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
  readonly #locks = new Map<string, Promise<unknown>>();

  async load(key: string): Promise<string | undefined> {
    return this.#values.get(key);
  }

  async save(key: string, value: string): Promise<void> {
    this.#values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }

  async lock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    }
  }
}
