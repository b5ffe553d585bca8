import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { optionRules as rules, type OptionRules } from '@graphwire/core';
import type { OidcProvider } from './oidc-provider.js';
import { checkOptions, PACKAGE } from './options.js';
import { GRAPH_RESOURCE } from './test-clients.js';

/** The Graph simulator's `validateToken` result. */
export type TokenValidation =
  | { valid: true; subject?: string }
  | { valid: false; reason: 'invalid' | 'expired'; message?: string };

export interface JwksTokenValidatorOptions {
  /** Expected `aud` (default `https://graph.microsoft.com`). */
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
