import type Provider from 'oidc-provider';
import type { KoaContext, ProviderErrors } from 'oidc-provider';
import { issueTokens } from 'oidc-provider/lib/helpers/grant_common.js';
import * as grantHelpers from 'oidc-provider/lib/helpers/grants.js';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { GRAPH_RESOURCE, TEST_USER_PASSWORD } from './test-clients.js';

export const PASSWORD_GRANT = 'password';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * oidc-provider is standards-only: it has neither the resource owner password grant nor Azure AD's
 * on-behalf-of (jwt-bearer) grant that MSAL's `password` and `on-behalf-of` flows speak. Both are
 * added here on top of its own token issuance, so the tokens (and refresh tokens) are the real ones.
 */
export function registerExtraGrants(
  provider: Provider, errors: ProviderErrors, publicJwks: JSONWebKeySet, apiScopes: readonly string[],
): void {
  const helpers = Object.fromEntries(
    Object.entries(grantHelpers).map(([name, fn]) => [name, typeof fn === 'function' ? fn.bind(undefined, provider) : fn]),
  );
  const issueFor = async (ctx: KoaContext, accountId: string, gty: string): Promise<void> => {
    const clientId = ctx.oidc.client?.clientId ?? '';
    const requested = (ctx.oidc.params?.scope ?? '').split(' ').filter(Boolean);
    const oidcScopes = requested.filter((s) => ['openid', 'profile', 'email', 'offline_access'].includes(s));
    const resourceScopes = requested.filter((s) => apiScopes.includes(s) || s.endsWith('/.default'));
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(oidcScopes.join(' '));
    if (resourceScopes.length > 0) grant.addResourceScope(GRAPH_RESOURCE, resourceScopes.join(' '));
    const grantId = await grant.save();
    const scope = [...oidcScopes, ...resourceScopes].join(' ');
    const source = {
      accountId, grantId, scope, scopes: new Set(scope.split(' ')), claims: {},
      authTime: Math.floor(Date.now() / 1000), resource: GRAPH_RESOURCE, resourceIndicators: new Set([GRAPH_RESOURCE]),
    };
    await issueTokens(provider, helpers, ctx, source, grant, { gty, entityLabel: gty });
  };

  provider.registerGrantType(PASSWORD_GRANT, async (ctx) => {
    const username = ctx.oidc.params?.username ?? '';
    if (ctx.oidc.params?.password !== TEST_USER_PASSWORD || username === '') {
      throw new errors.InvalidGrant('invalid username or password');
    }
    await issueFor(ctx, username.split('@')[0] ?? username, PASSWORD_GRANT);
  }, ['username', 'password', 'scope']);

  const keys = createLocalJWKSet(publicJwks);
  provider.registerGrantType(JWT_BEARER_GRANT, async (ctx) => {
    if (ctx.oidc.params?.requested_token_use !== 'on_behalf_of') {
      throw new errors.InvalidRequest('requested_token_use must be on_behalf_of');
    }
    let sub: string | undefined;
    try {
      ({ payload: { sub } } = await jwtVerify(ctx.oidc.params.assertion ?? '', keys, { issuer: provider.issuer }));
    } catch {
      throw new errors.InvalidGrant('assertion is not a valid token from this issuer');
    }
    if (!sub) throw new errors.InvalidGrant('assertion has no subject');
    await issueFor(ctx, sub, JWT_BEARER_GRANT);
  }, ['assertion', 'requested_token_use', 'scope']);
}
