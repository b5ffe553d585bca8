import { PublicClientApplication } from '@azure/msal-browser';
import type { AccountInfo, AuthenticationResult, IPublicClientApplication } from '@azure/msal-browser';
import {
  GraphAuthError, TokenInvalidation, cloudEndpoint, type AccessToken, type AuthSession, type TokenRequest, type TokenStore,
} from '@graphwire/core';
import { endSessionRequest } from './end-session-request.js';
import { PREFIX, RedirectInProgressError, needsInteraction, toGraphAuthError } from './errors.js';
import { IndexedDbTokenStore } from './indexeddb-token-store.js';
import { RedirectNavigation } from './redirect-navigation.js';
import { buildMsalConfiguration, type Interaction, type MsalBrowserSessionOptions } from './session-options.js';
import { accountKey, parseStoredTokens, scopeKey, withToken } from './stored-tokens.js';

export interface LoginOptions {
  scopes?: string[];
  interaction?: Interaction;
  /** e.g. `select_account` to let the user add or pick another account. */
  prompt?: string;
  loginHint?: string;
}

export interface LogoutOptions {
  interaction?: Interaction;
  /** Forget the account in this browser only, without visiting the identity provider. */
  localOnly?: boolean;
  /** Default the active account. */
  account?: AccountInfo;
}

/**
 * The browser `AuthSession`: access tokens come from the token store while valid (no network,
 * shared by tabs), else from MSAL silently (refresh token), else from the configured interaction.
 * One tab refreshes at a time per account; the others then find its token in the store.
 */
export class MsalBrowserSession implements AuthSession {
  readonly #options: MsalBrowserSessionOptions;
  readonly #store: TokenStore;
  readonly #scopes: string[];
  readonly #margin: number;
  readonly #navigation = new RedirectNavigation();
  readonly #invalidation = new TokenInvalidation();
  #app: IPublicClientApplication | undefined;
  #ready: Promise<AccountInfo | null> | undefined;

  constructor(options: MsalBrowserSessionOptions) {
    if (!options.msalInstance && !options.clientId) throw new TypeError(`${PREFIX} clientId is required unless msalInstance is given`);
    this.#options = options;
    this.#store = options.tokenStore ?? new IndexedDbTokenStore();
    this.#scopes = options.scopes ?? [cloudEndpoint(options.cloud ?? 'global').defaultScope];
    this.#margin = options.refreshMarginMs ?? 300_000;
  }

  /** The MSAL application, for what this class does not cover. Created on first use. */
  get msal(): IPublicClientApplication {
    this.#app ??= this.#options.msalInstance ?? new PublicClientApplication(buildMsalConfiguration(this.#options, this.#margin, () => this.#navigation.started()));
    return this.#app;
  }

  /**
   * Call once on page load: completes a sign-in that returned by redirect. Resolves to the active
   * account, or null when nobody is signed in. Every other method awaits it.
   */
  initialize(): Promise<AccountInfo | null> {
    this.#ready ??= (async () => {
      const app = this.msal;
      await app.initialize();
      const result = await app.handleRedirectPromise();
      if (result?.account) app.setActiveAccount(result.account);
      return this.#chooseAccount();
    })();
    return this.#ready;
  }

  async login(options: LoginOptions = {}): Promise<AccountInfo> {
    await this.initialize();
    const scopes = options.scopes ?? this.#scopes;
    const request = { scopes, ...(options.prompt ? { prompt: options.prompt } : {}), ...(options.loginHint ? { loginHint: options.loginHint } : {}) };
    if ((options.interaction ?? this.#interaction) === 'redirect') {
      await this.#navigation.run(() => this.msal.loginRedirect(request));
      throw new RedirectInProgressError();
    }
    const result = await this.msal.loginPopup(request).catch((e: unknown) => Promise.reject(toGraphAuthError(e, 'popup login')));
    const account = this.#adopt(result);
    await this.#locked(account, () => this.#remember(account, scopes, result));
    return account;
  }

  /** Forgets the account's stored tokens, then signs it out (by redirect, popup, or locally). */
  /** Connections subscribe here, so a sign-out or account switch makes them drop their in-memory token. */
  onInvalidate(listener: () => void): () => void {
    return this.#invalidation.subscribe(listener);
  }

  async logout(options: LogoutOptions = {}): Promise<void> {
    await this.initialize();
    const account = options.account ?? this.msal.getActiveAccount();
    if (account) await this.#store.delete(accountKey(this.#clientId, account.homeAccountId));
    this.#invalidation.notify();
    if (options.localOnly) return this.msal.clearCache(account ? { account } : {});
    const popup = (options.interaction ?? this.#interaction) === 'popup';
    const request = endSessionRequest(this.msal, account, popup);
    if (popup) return this.msal.logoutPopup(request);
    await this.#navigation.run(() => this.msal.logoutRedirect(request));
  }

  async accounts(): Promise<AccountInfo[]> {
    await this.initialize();
    return this.msal.getAllAccounts();
  }

  async activeAccount(): Promise<AccountInfo | null> {
    await this.initialize();
    return this.msal.getActiveAccount();
  }

  /** Chooses whose tokens `getAccessToken` returns: an account, its username, or its homeAccountId. */
  async setActiveAccount(account: AccountInfo | string): Promise<AccountInfo> {
    await this.initialize();
    const found = typeof account === 'string' ? this.#find(account) : account;
    if (!found) throw new GraphAuthError(`${PREFIX} no signed-in account matches`, { errorCode: 'no_account', interactionRequired: true });
    const previous = this.msal.getActiveAccount();
    this.msal.setActiveAccount(found);
    if (previous?.homeAccountId !== found.homeAccountId) this.#invalidation.notify();
    return found;
  }

  async getAccessToken(request: TokenRequest): Promise<AccessToken> {
    await this.initialize();
    request.signal?.throwIfAborted();
    const scopes = request.scopes.length > 0 ? request.scopes : this.#scopes;
    const account = this.#chooseAccount();
    if (!account) return this.#signInFor(scopes, request.claims);
    const entry = accountKey(this.#clientId, account.homeAccountId);
    const scope = scopeKey(scopes);
    const bypass = request.forceRefresh === true || request.claims !== undefined;
    const seen = parseStoredTokens(await this.#store.load(entry))[scope];
    if (!bypass && seen && this.#fresh(seen)) return seen;
    return this.#locked(account, async () => {
      request.signal?.throwIfAborted();
      // Another tab may have refreshed while we waited: its token is as good as ours would be,
      // even for a forced refresh, as long as it is not the one the caller gave up on.
      const current = parseStoredTokens(await this.#store.load(entry))[scope];
      if (current && this.#fresh(current) && (!bypass || current.token !== seen?.token)) return current;
      const result = await this.#acquire(account, scopes, request);
      return this.#remember(this.#adopt(result), scopes, result);
    });
  }

  get #interaction(): Interaction {
    return this.#options.interaction ?? 'redirect';
  }

  get #clientId(): string {
    return this.msal.getConfiguration().auth.clientId;
  }

  #fresh(token: AccessToken): boolean {
    return token.expiresOn - this.#margin > Date.now();
  }

  #find(hint: string): AccountInfo | undefined {
    const lower = hint.toLowerCase();
    return this.msal.getAllAccounts().find((a) => a.homeAccountId === hint || a.username.toLowerCase() === lower);
  }

  #chooseAccount(): AccountInfo | null {
    const active = this.msal.getActiveAccount();
    if (active) return active;
    const all = this.msal.getAllAccounts();
    const chosen = this.#options.account ? this.#find(this.#options.account) : all.length === 1 ? all[0] : undefined;
    if (chosen) this.msal.setActiveAccount(chosen);
    return chosen ?? null;
  }

  async #acquire(account: AccountInfo, scopes: string[], request: TokenRequest): Promise<AuthenticationResult> {
    try {
      return await this.msal.acquireTokenSilent({
        scopes,
        account,
        forceRefresh: request.forceRefresh === true,
        ...(request.claims !== undefined ? { claims: request.claims } : {}),
      });
    } catch (error) {
      if (!needsInteraction(error)) throw toGraphAuthError(error, 'silent token acquisition');
      return this.#interact(scopes, account, request.claims);
    }
  }

  async #interact(scopes: string[], account: AccountInfo | undefined, claims: string | undefined): Promise<AuthenticationResult> {
    const request = { scopes, ...(account ? { account } : {}), ...(claims !== undefined ? { claims } : {}) };
    if (this.#interaction === 'redirect') {
      await this.#navigation.run(() => this.msal.acquireTokenRedirect(request));
      throw new RedirectInProgressError();
    }
    return this.msal.acquireTokenPopup(request).catch((e: unknown) => Promise.reject(toGraphAuthError(e, 'popup sign-in')));
  }

  // Nobody is signed in yet, so there is no account to key the store or the lock on.
  async #signInFor(scopes: string[], claims: string | undefined): Promise<AccessToken> {
    const result = await this.#interact(scopes, undefined, claims);
    const account = this.#adopt(result);
    return this.#locked(account, () => this.#remember(account, scopes, result));
  }

  #adopt(result: AuthenticationResult): AccountInfo {
    if (!result.accessToken || !result.account) {
      throw new GraphAuthError(`${PREFIX} the identity provider returned no access token`, { errorCode: 'no_access_token' });
    }
    const previous = this.msal.getActiveAccount();
    this.msal.setActiveAccount(result.account);
    // Someone else signed in (login() as another user): Connections must not keep the old token.
    if (previous && previous.homeAccountId !== result.account.homeAccountId) this.#invalidation.notify();
    return result.account;
  }

  async #remember(account: AccountInfo, scopes: string[], result: AuthenticationResult): Promise<AccessToken> {
    const token: AccessToken = { token: result.accessToken, expiresOn: result.expiresOn?.getTime() ?? Date.now() };
    const entry = accountKey(this.#clientId, account.homeAccountId);
    const tokens = parseStoredTokens(await this.#store.load(entry));
    await this.#store.save(entry, withToken(tokens, scopeKey(scopes), token, Date.now()));
    return token;
  }

  #locked<T>(account: AccountInfo, fn: () => Promise<T>): Promise<T> {
    const key = accountKey(this.#clientId, account.homeAccountId);
    return this.#store.lock ? this.#store.lock(key, fn) : fn();
  }
}
