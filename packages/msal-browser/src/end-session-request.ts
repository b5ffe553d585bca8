import type { AccountInfo, EndSessionPopupRequest, IPublicClientApplication } from '@azure/msal-browser';

/**
 * MSAL's sign-out request for `account`. Two additions to what MSAL sends by itself:
 * - a popup must end on the redirect bridge page (the app's `redirectUri`), which reports back
 *   and closes it: MSAL waits for that report, so any other page would leave it hanging;
 * - an OpenID provider (protocolMode 'OIDC') honours `post_logout_redirect_uri` only next to
 *   `client_id` or `id_token_hint` (RP-Initiated Logout 1.0), and MSAL sends neither, so the
 *   client id goes along. Microsoft's endpoints do not need it and get MSAL's request unchanged.
 */
export function endSessionRequest(app: IPublicClientApplication, account: AccountInfo | null, popup: boolean): EndSessionPopupRequest {
  const { auth, system } = app.getConfiguration();
  const request: EndSessionPopupRequest = account ? { account } : {};
  if (popup && auth.redirectUri) request.postLogoutRedirectUri = auth.redirectUri;
  if (String(system?.protocolMode ?? '').toUpperCase() === 'OIDC') request.extraQueryParameters = { client_id: auth.clientId };
  return request;
}
