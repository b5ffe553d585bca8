import { GraphAuthError, isGraphAuthError, validateOptions, type OptionRules } from '@graphwire/core';

export const PACKAGE = '@graphwire/msal-browser';
export const PREFIX = `[${PACKAGE}]`;

/** Checks an options bag with the shared validator: unknown keys and wrong types are a TypeError. */
export function checkOptions<T>(owner: string, options: T, rules: OptionRules): T {
  return validateOptions(PACKAGE, owner, options, rules);
}

const REDIRECT_BRAND = Symbol.for('graphwire.RedirectInProgressError');

/**
 * The page is navigating to the sign-in page; the token will arrive after the redirect back,
 * through `initialize()`. Thrown instead of resolving `undefined`, so no caller ever sends a
 * request without a token.
 */
// `name` stays 'GraphAuthError' (the core types it as that literal); `errorCode` tells them apart.
export class RedirectInProgressError extends GraphAuthError {
  constructor() {
    super(`${PREFIX} a redirect to the sign-in page is under way; the token is available after the page returns`, {
      errorCode: 'redirect_in_progress',
      interactionRequired: true,
    });
    Object.defineProperty(this, REDIRECT_BRAND, { value: true, enumerable: false });
  }
}

/** True for a RedirectInProgressError from any copy of this package (npm and CDN bundle alike). */
export function isRedirectInProgressError(value: unknown): value is RedirectInProgressError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[REDIRECT_BRAND] === true;
}

/** The fields MSAL's AuthError carries; read structurally so errors from another MSAL copy (CDN global) map too. */
interface MsalErrorShape {
  name?: unknown;
  errorCode?: unknown;
  subError?: unknown;
  claims?: unknown;
}

// Codes after which only the user can produce a token (besides InteractionRequiredAuthError itself).
const INTERACTION_CODES = new Set([
  'no_account_error',
  'no_tokens_found',
  'interaction_required',
  'consent_required',
  'login_required',
  'bad_token',
  'native_account_unavailable',
  'refresh_token_expired',
]);

function shape(error: unknown): MsalErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

/** Silent acquisition failed in a way an interactive sign-in can fix. */
export function needsInteraction(error: unknown): boolean {
  const e = shape(error);
  return e.name === 'InteractionRequiredAuthError' || (typeof e.errorCode === 'string' && INTERACTION_CODES.has(e.errorCode));
}

/**
 * Wraps an MSAL failure. The message is built from codes only: MSAL messages may echo server
 * responses, and nothing token-like may reach a message.
 */
export function toGraphAuthError(error: unknown, step: string): GraphAuthError {
  if (isGraphAuthError(error)) return error;
  const e = shape(error);
  const errorCode = typeof e.errorCode === 'string' && e.errorCode !== '' ? e.errorCode : 'token_acquisition_failed';
  const sub = typeof e.subError === 'string' && e.subError !== '' ? ` (${e.subError})` : '';
  return new GraphAuthError(`${PREFIX} ${step} failed: ${errorCode}${sub}`, {
    errorCode,
    interactionRequired: needsInteraction(error) || errorCode === 'user_cancelled' || errorCode === 'popup_window_error',
    claims: typeof e.claims === 'string' && e.claims !== '' ? e.claims : undefined,
    cause: error,
  });
}
