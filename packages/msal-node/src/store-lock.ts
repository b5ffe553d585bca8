import { AsyncLocalStorage } from 'node:async_hooks';
import type { TokenStore } from '@graphwire/core';

/**
 * The store's lock made re-entrant for one cache key. The session holds it around "reload, maybe
 * refresh" and MSAL's cache plugin asks for it again when it saves inside that same call; with a
 * plain lock (MemoryTokenStore's, a browser's) that second request would wait for the first forever.
 */
export class StoreLock {
  readonly #inside = new AsyncLocalStorage<true>();
  readonly #store: TokenStore;
  readonly #key: string;

  constructor(store: TokenStore, key: string) {
    this.#store = store;
    this.#key = key;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    const lock = this.#store.lock?.bind(this.#store);
    if (!lock || this.#inside.getStore()) return fn();
    return lock(this.#key, () => this.#inside.run(true, fn));
  }
}
