/** Scopes MSAL adds to every user sign-in itself and refuses to find in a cached access token. */
export const RESERVED_SCOPES: readonly string[] = ['openid', 'profile', 'offline_access'];

/**
 * python-o365 strips the OpenID scopes users habitually list; so does this, because MSAL would
 * otherwise look for an access token carrying them and never find one in its cache.
 */
export function resourceScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.filter((s) => !RESERVED_SCOPES.includes(s.toLowerCase())))];
}

/** The `.default` scope for the resource of the given scopes (client credentials and OBO need it). */
export function isDefaultScope(scope: string): boolean {
  return scope.endsWith('/.default');
}
