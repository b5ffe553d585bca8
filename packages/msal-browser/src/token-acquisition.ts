import type { AccountInfo, AuthenticationResult, IPublicClientApplication } from '@azure/msal-browser';
import type { TokenRequest } from '@graphwire/core';
import { RedirectInProgressError, needsInteraction, toGraphAuthError } from './errors.js';
import type { RedirectNavigation } from './redirect-navigation.js';
import type { Interaction } from './session-options.js';

/** What acquiring a token from MSAL needs from the session. */
export interface AcquisitionContext {
  msal: IPublicClientApplication;
  navigation: RedirectNavigation;
  interaction: Interaction;
}

/** A token from MSAL silently (cache or refresh token), else by the configured interaction. */
export async function acquireToken(ctx: AcquisitionContext, account: AccountInfo, scopes: string[], request: TokenRequest): Promise<AuthenticationResult> {
  try {
    return await ctx.msal.acquireTokenSilent({
      scopes,
      account,
      forceRefresh: request.forceRefresh === true,
      ...(request.claims !== undefined ? { claims: request.claims } : {}),
    });
  } catch (error) {
    if (!needsInteraction(error)) throw toGraphAuthError(error, 'silent token acquisition');
    return interact(ctx, scopes, account, request.claims);
  }
}

/**
 * Asks the user: by popup, resolving to its result; or by redirect, rejecting with
 * RedirectInProgressError once the page starts leaving.
 */
export async function interact(ctx: AcquisitionContext, scopes: string[], account: AccountInfo | undefined, claims: string | undefined): Promise<AuthenticationResult> {
  const request = { scopes, ...(account ? { account } : {}), ...(claims !== undefined ? { claims } : {}) };
  if (ctx.interaction === 'redirect') {
    await ctx.navigation.run(() => ctx.msal.acquireTokenRedirect(request));
    throw new RedirectInProgressError();
  }
  return ctx.msal.acquireTokenPopup(request).catch((e: unknown) => Promise.reject(toGraphAuthError(e, 'popup sign-in')));
}
