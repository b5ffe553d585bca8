import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { optionRules as rules, type TokenStore } from '@graphwire/core';
import { mergeSerializedCaches } from './cache-merge.js';
import { configError } from './errors.js';
import { StoreLock } from './store-lock.js';

/**
 * MSAL's cache plugin over any graphwire TokenStore, for an MSAL application you configure yourself
 * (`cache: { cachePlugin }`): MSAL calls `beforeCacheAccess` to load and `afterCacheAccess` to
 * persist. Saving is a read-merge-write under the store's lock, so writers in other processes are
 * merged with, not overwritten. `key` names the cache in the store (the session uses
 * `msal.<clientId>`). Throws a `TypeError` when `store` is not a TokenStore or `key` is empty.
 */
export function tokenStoreCachePlugin(store: TokenStore, key: string): ICachePlugin {
  return cachePlugin(store, key, new StoreLock(store, key));
}

/** The plugin under a lock the caller also holds around its own cache reads, so the two nest. */
export function cachePlugin(store: TokenStore, key: string, lock: StoreLock): ICachePlugin {
  if (!rules.tokenStore.test(store)) throw configError(`tokenStoreCachePlugin: the store must be ${rules.tokenStore.expected}`);
  if (!rules.nonEmptyString.test(key)) throw configError('tokenStoreCachePlugin: the key must be a non-empty string, e.g. `msal.<clientId>`');
  let loaded: string | undefined;
  return {
    async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
      // Files are replaced atomically, so reading needs no lock.
      const text = await store.load(key);
      loaded = text;
      if (text !== undefined) context.tokenCache.deserialize(text);
    },
    async afterCacheAccess(context: TokenCacheContext): Promise<void> {
      if (!context.cacheHasChanged) return;
      const mine = context.tokenCache.serialize();
      await lock.run(async () => {
        const merged = mergeSerializedCaches(await store.load(key), loaded, mine);
        await store.save(key, merged);
        loaded = merged;
      });
    },
  };
}
