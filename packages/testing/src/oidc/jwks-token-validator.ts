import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { optionRules as rules, type OptionRules } from '@graphwire/core';
import type { TokenCheck } from '../simulator/auth.js';
import type { OidcProvider } from './oidc-provider.js';
import { checkOptions, PACKAGE } from './options.js';
import { GRAPH_RESOURCE } from './test-clients.js';

/**
 * What a {@link jwksTokenValidator} resolves to: the Graph simulator's {@link TokenCheck}. A valid
 * token's `subject` is its `sub`; an expired one is refused as `'expired'`, any other failure
 * (signature, issuer, audience, malformed) as `'invalid'` with a message naming the failed check.
 */
export type TokenValidation = TokenCheck;

/** Options of {@link jwksTokenValidator}; checked strictly, like every options object of this package. */
export interface JwksTokenValidatorOptions {
  /** Expected `aud` claim; default {@link GRAPH_RESOURCE} (`https://graph.microsoft.com`), the provider's audience. */
  audience?: string;
}

export const JWKS_TOKEN_VALIDATOR_RULES: OptionRules = {
  audience: { ...rules.nonEmptyString, aliases: ['aud', 'resource'] },
};

/**
 * Checks bearer tokens the way Graph does: signature against the issuer's JWKS, `iss`, `aud`, `exp`.
 * Give it the provider object (keys checked in memory) or an issuer URL (keys fetched from `/jwks`).
 */
export function jwksTokenValidator(
  source: string | Pick<OidcProvider, 'issuer' | 'jwks'>,
  options: JwksTokenValidatorOptions = {},
): (token: string) => Promise<TokenValidation> {
  checkOptions('jwksTokenValidator', options, JWKS_TOKEN_VALIDATOR_RULES);
  const validSource = typeof source === 'string'
    ? rules.url.test(source)
    : typeof source === 'object' && source !== null && typeof source.issuer === 'string' && Array.isArray(source.jwks?.keys);
  if (!validSource) {
    throw new TypeError(`[${PACKAGE}] jwksTokenValidator: the first argument must be an issuer URL or an OidcProvider (with issuer and jwks)`);
  }
  const issuer = typeof source === 'string' ? source.replace(/\/$/, '') : source.issuer;
  const keys: JWTVerifyGetKey = typeof source === 'string'
    ? createRemoteJWKSet(new URL(`${issuer}/jwks`))
    : createLocalJWKSet(source.jwks);
  const audience = options.audience ?? GRAPH_RESOURCE;
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, { issuer, audience });
      return payload.sub === undefined ? { valid: true } : { valid: true, subject: payload.sub };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { valid: false, reason: 'expired', message: 'Lifetime validation failed, the token is expired.' };
      // jose's messages name the failed check (signature, claim), never the token itself.
      return { valid: false, reason: 'invalid', message: error instanceof Error ? error.message : 'invalid token' };
    }
  };
}
