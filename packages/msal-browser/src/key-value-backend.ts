import { createStore, del, get, set, update } from 'idb-keyval';

/** The four operations the token store needs from a key-value database. */
export interface KeyValueBackend {
  readonly persistent: boolean;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  /** Read-modify-write in one transaction: the base of the lease lock and of key creation. */
  update(key: string, updater: (old: unknown) => unknown): Promise<void>;
}

/**
 * An IndexedDB database of graphwire's own (not idb-keyval's shared default one), or
 * `undefined` when IndexedDB is missing or refuses to open (private mode, disabled storage).
 */
export async function openIndexedDbBackend(databaseName: string, storeName: string): Promise<KeyValueBackend | undefined> {
  if (typeof indexedDB === 'undefined') return undefined;
  try {
    const store = createStore(databaseName, storeName);
    // Opening is lazy in idb-keyval: one read proves the database is usable before we trust it.
    await get('graphwire:probe', store);
    return {
      persistent: true,
      get: (key) => get(key, store),
      set: (key, value) => set(key, value, store),
      del: (key) => del(key, store),
      update: (key, updater) => update(key, updater, store),
    };
  } catch {
    return undefined;
  }
}

/** The degraded mode: values live as long as the page. */
export function memoryBackend(): KeyValueBackend {
  const values = new Map<string, unknown>();
  return {
    persistent: false,
    get: async (key) => values.get(key),
    set: async (key, value) => void values.set(key, value),
    del: async (key) => void values.delete(key),
    update: async (key, updater) => {
      const next = updater(values.get(key));
      if (next === undefined) values.delete(key);
      else values.set(key, next);
    },
  };
}
