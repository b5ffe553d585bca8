import type { AccountInfo, AuthenticationResult } from '@azure/msal-node';
import { GraphAuthError, TokenInvalidation, cloudEndpoint, type AccessToken, type AuthSession, type TokenRequest, type TokenStore } from '@graphwire/core';
import { abortable } from './abortable.js';
import { cachePlugin } from './cache-plugin.js';
import { checkOptions, configError, setupError, toGraphAuthError } from './errors.js';
import { FileTokenStore } from './file-token-store.js';
import { credentialsFlow, onBehalfOfFlow } from './flows/app-only.js';
import {
  AUTHORIZATION_FLOW_STATE_RULES, AUTHORIZATION_URL_REQUEST_RULES, authorizationUrl, redeemAuthorizationResponse,
  type AuthorizationFlowState, type AuthorizationUrlRequest,
} from './flows/authorization-code.js';
import { userSignIn } from './flows/user-sign-in.js';
import { createMsalApp, isConfidential, type MsalApp } from './msal-app.js';
import { MSAL_NODE_SESSION_RULES, type MsalNodeFlow, type MsalNodeSessionOptions } from './options.js';
import { nodeFetch, type FetchLike } from './proxy.js';
import { resourceScopes } from './scopes.js';
import { StoreLock } from './store-lock.js';

/** A signed-in user in the token cache. */
export interface AccountSummary {
  /** The sign-in name (UPN or email), what the `username` option and `logout()` match, in any case. */
  username: string;
  /** Display name (the ID token's `name` claim), when the identity provider sent one. */
  name: string | undefined;
  /** MSAL's id of the account, stable across tenants (Azure AD: `<objectId>.<tenantId>`). */
  homeAccountId: string;
}

const OWNER = 'MsalNodeSession';

/**
 * The Node session manager: MSAL's flows behind graphwire's `AuthSession`, with MSAL's cache kept
 * in a TokenStore (a file by default) so a token survives restarts and is shared by processes.
 */
export class MsalNodeSession implements AuthSession {
  /** The flow in use: the `flow` option, else `credentials` with a client credential, else `interactive`. */
  readonly flow: MsalNodeFlow;
  /** A fetch with this session's proxy settings: give it to the Connection so Graph calls go the same way. */
  readonly fetch: FetchLike;
  /** Where MSAL's cache is kept: the `tokenStore` option, else a FileTokenStore in `~/.graphwire`. */
  readonly tokenStore: TokenStore;
  readonly #options: MsalNodeSessionOptions;
  readonly #app: MsalApp;
  readonly #cacheKey: string;
  readonly #lock: StoreLock;
  readonly #invalidation = new TokenInvalidation();
  readonly #defaultScopes: string[];
  #homeAccountId: string | undefined;

  constructor(options: MsalNodeSessionOptions) {
    checkOptions(OWNER, options, MSAL_NODE_SESSION_RULES);
    if (!options?.clientId) throw configError(`${OWNER}: option 'clientId' is required: the application (client) id of your app registration`);
    const flow = options.flow ?? (isConfidential(options) ? 'credentials' : 'interactive');
    checkFlowOptions(flow, options);
    this.flow = flow;
    this.#options = options;
    this.fetch = nodeFetch(options.proxy === undefined ? {} : { proxy: options.proxy }, OWNER);
    this.tokenStore = options.tokenStore ?? new FileTokenStore();
    this.#cacheKey = options.cacheKey ?? `msal.${options.clientId}`;
    this.#defaultScopes = options.scopes ?? [cloudEndpoint(options.cloud ?? 'global').defaultScope];
    this.#lock = new StoreLock(this.tokenStore, this.#cacheKey);
    this.#app = createMsalApp(options, cachePlugin(this.tokenStore, this.#cacheKey, this.#lock), this.fetch);
  }

  /**
   * A token for `request.scopes` (default: the session's scopes). `request.signal` is honoured at
   * once: an aborted call rejects with the signal's reason, and a device-code sign-in stops polling;
   * other MSAL calls cannot be cancelled and finish in the background, filling the cache.
   */
  getAccessToken(request: TokenRequest): Promise<AccessToken> {
    if (request.signal?.aborted) return Promise.reject(request.signal.reason);
    return abortable(this.#acquire(request), request.signal);
  }

  async #acquire(request: TokenRequest): Promise<AccessToken> {
    const scopes = resourceScopes(request.scopes.length > 0 ? request.scopes : this.#defaultScopes);
    try {
      let result: AuthenticationResult | null;
      if (this.flow === 'credentials' || this.flow === 'on-behalf-of') {
        // Under the store's lock so N processes sharing the cache make one request per expiry.
        result = await this.#locked(() => this.flow === 'credentials'
          ? credentialsFlow(this.#app, scopes, request)
          : onBehalfOfFlow(this.#app, this.#options.userAssertion, scopes, request));
      } else {
        result = await this.#locked(() => this.#silent(scopes, request));
        // A person may take minutes: never hold the cross-process lock meanwhile.
        result ??= await userSignIn(this.#app, this.#options, this.flow, scopes, request);
        this.#remember(result);
      }
      if (!result?.accessToken) {
        throw new GraphAuthError(`[@graphwire/msal-node] ${this.flow} flow returned no access token: check the scopes ${scopes.join(' ')}`, { errorCode: 'no_access_token' });
      }
      return { token: result.accessToken, expiresOn: result.expiresOn?.getTime() ?? Date.now() + 3_600_000 };
    } catch (error) {
      throw toGraphAuthError(error, this.flow);
    }
  }

  /**
   * Step 1 of the `authorization` flow: where to send the user, and state to keep until they come back.
   * Throws a `TypeError` for invalid request options and a GraphAuthError when no redirect URI is set.
   */
  async getAuthorizationUrl(request: AuthorizationUrlRequest = {}): Promise<{
    /** The sign-in page (with a PKCE challenge) to redirect the user's browser to. */
    url: string;
    /** Keep this (it is plain JSON) with the user's web session and pass it to `requestToken()`. */
    flow: AuthorizationFlowState;
  }> {
    checkOptions(`${OWNER}.getAuthorizationUrl`, request, AUTHORIZATION_URL_REQUEST_RULES);
    try {
      return await authorizationUrl(this.#app, request, { scopes: this.#defaultScopes, redirectUri: this.#options.redirectUri });
    } catch (error) {
      throw toGraphAuthError(error, 'authorization');
    }
  }

  /** Step 2: the URL the user was redirected to, and the `flow` from step 1. Caches and selects the account. */
  async requestToken(redirectedUrl: string | URL, flow: AuthorizationFlowState): Promise<AccountSummary> {
    if (!(redirectedUrl instanceof URL || (typeof redirectedUrl === 'string' && URL.canParse(redirectedUrl)))) {
      throw configError(`${OWNER}.requestToken: the first argument must be the URL the browser was redirected to (a string or a URL)`);
    }
    // The `flow` getAuthorizationUrl() returned, kept by the app (often as JSON) until now.
    checkOptions(`${OWNER}.requestToken`, flow, AUTHORIZATION_FLOW_STATE_RULES);
    try {
      const result = await redeemAuthorizationResponse(this.#app, redirectedUrl, flow);
      this.#remember(result);
      if (!result?.account) throw new GraphAuthError('[@graphwire/msal-node] the token response named no account: request the `openid` and `profile` scopes', { errorCode: 'no_account' });
      return summary(result.account);
    } catch (error) {
      throw toGraphAuthError(error, 'authorization');
    }
  }

  /** Every user signed in to this app in the token cache (all processes' sign-ins included). */
  async accounts(): Promise<AccountSummary[]> {
    // Under the lock: reading the cache reloads it, which must not interleave with a refresh's write.
    return this.#locked(async () => (await this.#app.getTokenCache().getAllAccounts()).map(summary));
  }

  /** Connections subscribe here, so logout() makes them drop their in-memory token. */
  onInvalidate(listener: () => void): () => void {
    return this.#invalidation.subscribe(listener);
  }

  /**
   * Removes a user from the token cache (for every process sharing it) and makes Connections drop
   * their token. `username` defaults to the account this session signed in, else the only cached
   * one (several, none named: a GraphAuthError); an unknown name is ignored. The user stays signed
   * in at the identity provider.
   */
  async logout(username?: string): Promise<void> {
    await this.#locked(async () => {
      const account = await this.#account(username);
      if (!account) return;
      await this.#app.getTokenCache().removeAccount(account);
      if (account.homeAccountId === this.#homeAccountId) this.#homeAccountId = undefined;
    });
    this.#invalidation.notify();
  }

  async #silent(scopes: string[], request: TokenRequest): Promise<AuthenticationResult | null> {
    const account = await this.#account(this.#options.username);
    if (!account) return null;
    try {
      return await this.#app.acquireTokenSilent({
        account, scopes, forceRefresh: request.forceRefresh ?? false, ...(request.claims ? { claims: request.claims } : {}),
      });
    } catch (error) {
      const e = toGraphAuthError(error, this.flow);
      if (e.interactionRequired && this.flow !== 'authorization') return null;
      throw e;
    }
  }

  /** Reads the cache afresh (MSAL's plugin reloads the store), so another process's refresh is seen. */
  async #account(username: string | undefined): Promise<AccountInfo | undefined> {
    const all = await this.#app.getTokenCache().getAllAccounts();
    if (username) return all.find((a) => a.username.toLowerCase() === username.toLowerCase());
    if (this.#homeAccountId) return all.find((a) => a.homeAccountId === this.#homeAccountId);
    if (all.length <= 1) return all[0];
    throw setupError(`${all.length} accounts are signed in to this token cache: choose one with the option \`username\` (see session.accounts())`);
  }

  #remember(result: AuthenticationResult | null): void {
    if (result?.account) this.#homeAccountId = result.account.homeAccountId;
  }

  #locked<T>(fn: () => Promise<T>): Promise<T> {
    return this.#lock.run(fn);
  }
}

/** Options that each make sense alone but not together: refused here rather than at the first token. */
function checkFlowOptions(flow: MsalNodeFlow, options: MsalNodeSessionOptions): void {
  const fail = (message: string) => { throw configError(`${OWNER}: ${message}`); };
  const credentials = (['clientSecret', 'clientCertificate', 'clientAssertion'] as const).filter((k) => options[k] !== undefined);
  if (credentials.length > 1) fail(`give only one of the options 'clientSecret', 'clientCertificate', 'clientAssertion' (got ${credentials.join(', ')})`);
  const certificate = options.clientCertificate;
  if (certificate && !certificate.thumbprintSha256 && !certificate.thumbprint) {
    fail("option 'clientCertificate' needs 'thumbprintSha256' (or the older SHA-1 'thumbprint') of the registered certificate");
  }
  if ((flow === 'credentials' || flow === 'on-behalf-of') && credentials.length === 0) {
    fail(`flow '${flow}' needs a client credential: set the option 'clientSecret', 'clientCertificate' or 'clientAssertion'`);
  }
  if ((flow === 'device' || flow === 'interactive') && credentials.length > 0) {
    fail(`flow '${flow}' is for public clients: remove the option '${credentials[0]}' (or use flow 'credentials' or 'authorization')`);
  }
  if (flow === 'on-behalf-of' && !options.userAssertion) fail("flow 'on-behalf-of' needs the option 'userAssertion': the access token your API received");
  if (flow === 'password' && (!options.username || !options.password)) fail("flow 'password' needs the options 'username' and 'password'");
  for (const key of ['password', 'userAssertion'] as const) {
    const needs = key === 'password' ? 'password' : 'on-behalf-of';
    if (options[key] !== undefined && flow !== needs) fail(`option '${key}' is only for flow '${needs}' (the flow is '${flow}')`);
  }
}

function summary(account: AccountInfo): AccountSummary {
  return { username: account.username, name: account.name, homeAccountId: account.homeAccountId };
}
