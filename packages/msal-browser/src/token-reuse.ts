import type { AccessToken, TokenRequest, TokenStore } from '@graphwire/core';
import { parseStoredTokens, scopeKey, withEntryLock } from './stored-tokens.js';

/**
 * The token stored in `entry` for `scopes` while it is fresh (valid beyond `marginMs`); else, under
 * the entry's cross-tab lock, one another tab stored meanwhile; else what `acquire()` returns.
 * A forced refresh or a claims challenge skips the first look.
 */
export async function storedOrAcquired(
  store: TokenStore, entry: string, scopes: readonly string[], request: TokenRequest, marginMs: number, acquire: () => Promise<AccessToken>,
): Promise<AccessToken> {
  const scope = scopeKey(scopes);
  const fresh = (token: AccessToken) => token.expiresOn - marginMs > Date.now();
  const bypass = request.forceRefresh === true || request.claims !== undefined;
  const seen = parseStoredTokens(await store.load(entry))[scope];
  if (!bypass && seen && fresh(seen)) return seen;
  return withEntryLock(store, entry, async () => {
    request.signal?.throwIfAborted();
    // Another tab may have refreshed while we waited: its token is as good as ours would be,
    // even for a forced refresh, as long as it is not the one the caller gave up on.
    const current = parseStoredTokens(await store.load(entry))[scope];
    if (current && fresh(current) && (!bypass || current.token !== seen?.token)) return current;
    return acquire();
  });
}
