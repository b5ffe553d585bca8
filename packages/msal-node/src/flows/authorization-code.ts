import { CryptoProvider, type AuthenticationResult } from '@azure/msal-node';
import { GraphAuthError, optionRules as rules, type OptionRules } from '@graphwire/core';
import { setupError } from '../errors.js';
import type { MsalApp } from '../msal-app.js';

/** Everything `requestToken` needs to finish a sign-in; plain JSON, so a web app can keep it in its session store. */
export interface AuthorizationFlowState {
  /** The `state` sent with the request; a redirected URL carrying another one is refused. */
  state: string;
  /** The PKCE secret that proves the code is redeemed by whoever requested it: keep it server-side. */
  codeVerifier: string;
  /** The redirect URI the code was issued for; the token request must repeat it. */
  redirectUri: string;
  /** The scopes the code is redeemed for. */
  scopes: string[];
}

export const AUTHORIZATION_FLOW_STATE_RULES: OptionRules = {
  state: { ...rules.string, required: true },
  codeVerifier: { ...rules.nonEmptyString, required: true },
  redirectUri: { ...rules.nonEmptyString, required: true },
  scopes: { ...rules.stringArray, required: true },
};

/** What `getAuthorizationUrl()` builds the sign-in URL for; every field is optional. */
export interface AuthorizationUrlRequest {
  /** Scopes to ask consent for (default: the session's `scopes`). */
  scopes?: string[];
  /** Where the user comes back to, registered with the app (default: the session's `redirectUri`). */
  redirectUri?: string;
  /** Your own value to find the user's request again; a random one is used otherwise. */
  state?: string;
  /** Username to prefill on the sign-in page. */
  loginHint?: string;
}

export const AUTHORIZATION_URL_REQUEST_RULES: OptionRules = {
  scopes: { ...rules.scopes, aliases: ['scope'] },
  redirectUri: { ...rules.nonEmptyString, aliases: ['redirectUrl', 'redirect_uri'] },
  state: rules.string,
  loginHint: { ...rules.nonEmptyString, aliases: ['username', 'login_hint'] },
};

export async function authorizationUrl(
  app: MsalApp, request: AuthorizationUrlRequest, defaults: { scopes: string[]; redirectUri: string | undefined },
): Promise<{ url: string; flow: AuthorizationFlowState }> {
  const redirectUri = request.redirectUri ?? defaults.redirectUri;
  if (!redirectUri) throw setupError("flow 'authorization' needs a redirect URI: set the option `redirectUri` or pass it to getAuthorizationUrl()");
  const crypto = new CryptoProvider();
  const { verifier, challenge } = await crypto.generatePkceCodes();
  const state = request.state ?? crypto.createNewGuid();
  const scopes = request.scopes ?? defaults.scopes;
  const url = await app.getAuthCodeUrl({
    scopes, redirectUri, state, codeChallenge: challenge, codeChallengeMethod: 'S256',
    ...(request.loginHint ? { loginHint: request.loginHint } : {}),
  });
  return { url, flow: { state, codeVerifier: verifier, redirectUri, scopes } };
}

export async function redeemAuthorizationResponse(
  app: MsalApp, redirectedUrl: string | URL, flow: AuthorizationFlowState,
): Promise<AuthenticationResult | null> {
  const url = new URL(redirectedUrl);
  // form_post and fragment responses reach the app as a body or hash; accept both shapes.
  const params = new URLSearchParams(url.search || url.hash.slice(1));
  const error = params.get('error');
  if (error) {
    throw new GraphAuthError(`[@graphwire/msal-node] the sign-in was not completed (${error}): send the user to a new getAuthorizationUrl()`, {
      errorCode: error, interactionRequired: true,
    });
  }
  if (params.get('state') !== flow.state) {
    throw new GraphAuthError('[@graphwire/msal-node] the redirected URL does not belong to this sign-in (state differs): pass the `flow` returned with its authorization URL', {
      errorCode: 'state_mismatch',
    });
  }
  const code = params.get('code');
  if (!code) throw setupError('the redirected URL has no `code`: pass the full URL the browser was redirected to');
  return app.acquireTokenByCode({
    code, codeVerifier: flow.codeVerifier, redirectUri: flow.redirectUri, scopes: flow.scopes, state: flow.state,
  });
}
