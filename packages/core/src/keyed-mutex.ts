/**
 * Runs callers of the same key one after another within this process; a failure does not block
 * the queue. Token stores build their `lock` on it (a file or IndexedDB lock adds the cross-process part).
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>();

  /**
   * Runs `fn` once every earlier caller of `key` has settled.
   *
   * @returns What `fn` resolves to; it rejects with what `fn` rejects with (later callers still run).
   */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const mine = previous.then(fn);
    const tail = mine.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await mine;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
