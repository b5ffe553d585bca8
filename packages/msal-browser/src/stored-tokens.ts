import type { AuthenticationResult } from '@azure/msal-browser';
import type { AccessToken, TokenStore } from '@graphwire/core';

/**
 * One store entry per account: its access tokens by scope set. One entry (not one per scope set)
 * lets logout forget an account with a single delete, and the per-account lock covers its writes.
 */
interface StoredTokens {
  v: 1;
  tokens: Record<string, AccessToken>;
}

export function accountKey(clientId: string, homeAccountId: string): string {
  return `graphwire.at.${clientId}.${homeAccountId}`;
}

/** Scope sets compare case-insensitively and regardless of order, as the identity platform does. */
export function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes.map((s) => s.toLowerCase()))].sort().join(' ');
}

function isAccessToken(value: unknown): value is AccessToken {
  return typeof value === 'object' && value !== null && typeof (value as AccessToken).token === 'string' && typeof (value as AccessToken).expiresOn === 'number';
}

/** Unreadable entries (older format, foreign writer, corruption) read as empty: they cost one acquisition, never a crash. */
export function parseStoredTokens(raw: string | undefined): Record<string, AccessToken> {
  if (raw === undefined) return {};
  try {
    const parsed = JSON.parse(raw) as Partial<StoredTokens>;
    if (parsed.v !== 1 || typeof parsed.tokens !== 'object' || parsed.tokens === null) return {};
    return Object.fromEntries(Object.entries(parsed.tokens).filter(([, t]) => isAccessToken(t)));
  } catch {
    return {};
  }
}

/** Adds `token` and drops expired neighbours so the entry does not grow without bound. */
export function withToken(tokens: Record<string, AccessToken>, key: string, token: AccessToken, now: number): string {
  const kept = Object.fromEntries(Object.entries(tokens).filter(([, t]) => t.expiresOn > now));
  kept[key] = { token: token.token, expiresOn: token.expiresOn };
  return JSON.stringify({ v: 1, tokens: kept } satisfies StoredTokens);
}

/** Saves the access token of `result` under `scopes` in the account's entry `entry`, keeping its other tokens. */
export async function rememberToken(store: TokenStore, entry: string, scopes: readonly string[], result: AuthenticationResult): Promise<AccessToken> {
  const token: AccessToken = { token: result.accessToken, expiresOn: result.expiresOn?.getTime() ?? Date.now() };
  const tokens = parseStoredTokens(await store.load(entry));
  await store.save(entry, withToken(tokens, scopeKey(scopes), token, Date.now()));
  return token;
}

/** Runs `fn` under the store's cross-tab lock for `entry`, or directly when the store has none. */
export function withEntryLock<T>(store: TokenStore, entry: string, fn: () => Promise<T>): Promise<T> {
  return store.lock ? store.lock(entry, fn) : fn();
}
