import { GraphAuthError, validateOptions, type OptionRules } from '@graphwire/core';

export const PACKAGE = '@graphwire/msal-node';
const PREFIX = `[${PACKAGE}]`;

/** Checks an options bag with the shared validator: unknown keys and wrong types are a TypeError. */
export function checkOptions<T>(owner: string, options: T, rules: OptionRules): T {
  return validateOptions(PACKAGE, owner, options, rules);
}

/**
 * Options that cannot work (missing, contradicting each other, out of range), found when they are
 * received: a programming error, so a TypeError naming the option and the fix, as the validator's.
 */
export function configError(message: string): TypeError {
  return new TypeError(`${PREFIX} ${message}`);
}

/**
 * A set-up problem that shows only while getting a token (delegated scopes asked of an app-only
 * flow, several cached accounts and no `username`): a GraphAuthError, as every getAccessToken failure.
 */
export function setupError(message: string, cause?: unknown): GraphAuthError {
  return new GraphAuthError(`${PREFIX} ${message}`, { errorCode: 'configuration_error', cause });
}

/** A token store file that cannot be used as it is. */
export function storeError(errorCode: string, message: string, cause?: unknown): GraphAuthError {
  return new GraphAuthError(`${PREFIX} ${message}`, { errorCode, cause });
}

interface MsalLikeError {
  errorCode?: string;
  subError?: string;
  claims?: string;
  name?: string;
}

// MSAL's own classification: InteractionRequiredAuthError and these server codes mean a person must act.
const INTERACTION_CODES = new Set([
  'interaction_required', 'login_required', 'consent_required', 'no_tokens_found', 'native_account_unavailable',
  'refresh_token_expired', 'bad_token', 'ux_not_allowed',
]);

/**
 * Maps an MSAL error to a GraphAuthError. MSAL's messages can echo server responses, so the new
 * message is built from the code alone; the original stays available as `cause` for debugging.
 */
export function toGraphAuthError(error: unknown, flow: string): GraphAuthError {
  if (error instanceof GraphAuthError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as MsalLikeError;
  const errorCode = e.errorCode || 'token_acquisition_failed';
  const interactionRequired = e.name === 'InteractionRequiredAuthError' || INTERACTION_CODES.has(errorCode);
  const remedy = interactionRequired
    ? 'the user must sign in again (run the interactive, device or authorization flow)'
    : 'check the session options (clientId, authority or tenantId, credentials, scopes)';
  return new GraphAuthError(
    `${PREFIX} ${flow} flow could not get a token (${errorCode}${e.subError ? `/${e.subError}` : ''}): ${remedy}`,
    { errorCode, interactionRequired, claims: e.claims || undefined, cause: error },
  );
}
