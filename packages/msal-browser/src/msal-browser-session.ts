import { PublicClientApplication } from '@azure/msal-browser';
import type { AccountInfo, AuthenticationResult, IPublicClientApplication } from '@azure/msal-browser';
import { GraphAuthError, TokenInvalidation, cloudEndpoint, type AccessToken, type AuthSession, type TokenRequest, type TokenStore } from '@graphwire/core';
import { adoptAccount, chooseAccount, findAccount } from './account-choice.js';
import { endSessionRequest } from './end-session-request.js';
import { PREFIX, RedirectInProgressError, checkOptions, toGraphAuthError } from './errors.js';
import { IndexedDbTokenStore } from './indexeddb-token-store.js';
import { RedirectNavigation } from './redirect-navigation.js';
import {
  LOGIN_OPTION_RULES, LOGOUT_OPTION_RULES, MSAL_BROWSER_SESSION_RULES, buildMsalConfiguration, type Interaction, type LoginOptions, type LogoutOptions, type MsalBrowserSessionOptions,
} from './session-options.js';
import { accountKey, rememberToken, withEntryLock } from './stored-tokens.js';
import { acquireToken, interact, type AcquisitionContext } from './token-acquisition.js';
import { storedOrAcquired } from './token-reuse.js';

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
    checkOptions('MsalBrowserSession', options, MSAL_BROWSER_SESSION_RULES);
    if (!options?.msalInstance && !options?.clientId) throw new TypeError(`${PREFIX} clientId is required unless msalInstance is given`);
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
      return chooseAccount(this.msal, this.#options.account);
    })();
    return this.#ready;
  }

  /**
   * Signs a user in and makes them the active account. By popup it resolves to the account (a
   * GraphAuthError if the popup is closed or blocked); by redirect it rejects with
   * RedirectInProgressError as the page leaves, and `initialize()` completes it on return.
   */
  async login(options: LoginOptions = {}): Promise<AccountInfo> {
    checkOptions('MsalBrowserSession.login', options, LOGIN_OPTION_RULES);
    await this.initialize();
    const scopes = options.scopes ?? this.#scopes;
    const request = { scopes, ...(options.prompt ? { prompt: options.prompt } : {}), ...(options.loginHint ? { loginHint: options.loginHint } : {}) };
    if ((options.interaction ?? this.#interaction) === 'redirect') {
      await this.#navigation.run(() => this.msal.loginRedirect(request));
      throw new RedirectInProgressError();
    }
    const result = await this.msal.loginPopup(request).catch((e: unknown) => Promise.reject(toGraphAuthError(e, 'popup login')));
    return (await this.#keep(result, scopes)).account;
  }

  /** Connections subscribe here, so a sign-out or account switch makes them drop their in-memory token. */
  onInvalidate(listener: () => void): () => void {
    return this.#invalidation.subscribe(listener);
  }

  /** Forgets the account's stored tokens, then signs it out (by redirect, popup, or locally). */
  async logout(options: LogoutOptions = {}): Promise<void> {
    checkOptions('MsalBrowserSession.logout', options, LOGOUT_OPTION_RULES);
    await this.initialize();
    const account = options.account ?? this.msal.getActiveAccount();
    if (account) await this.#store.delete(this.#entry(account));
    this.#invalidation.notify();
    if (options.localOnly) return this.msal.clearCache(account ? { account } : {});
    const popup = (options.interaction ?? this.#interaction) === 'popup';
    const request = endSessionRequest(this.msal, account, popup);
    if (popup) return this.msal.logoutPopup(request);
    await this.#navigation.run(() => this.msal.logoutRedirect(request));
  }

  /** Every account signed in to this app in this browser (MSAL's cache, shared by the origin's tabs). */
  async accounts(): Promise<AccountInfo[]> {
    await this.initialize();
    return this.msal.getAllAccounts();
  }

  /** The account whose tokens `getAccessToken` returns, or null when none is chosen yet. */
  async activeAccount(): Promise<AccountInfo | null> {
    await this.initialize();
    return this.msal.getActiveAccount();
  }

  /** Chooses whose tokens `getAccessToken` returns: an account, its username, or its homeAccountId. */
  async setActiveAccount(account: AccountInfo | string): Promise<AccountInfo> {
    if (!(typeof account === 'string' ? account !== '' : typeof account?.homeAccountId === 'string')) {
      throw new TypeError(`${PREFIX} MsalBrowserSession.setActiveAccount: give an AccountInfo, a username or a homeAccountId`);
    }
    await this.initialize();
    const found = typeof account === 'string' ? findAccount(this.msal, account) : account;
    if (!found) throw new GraphAuthError(`${PREFIX} no signed-in account matches`, { errorCode: 'no_account', interactionRequired: true });
    const previous = this.msal.getActiveAccount();
    this.msal.setActiveAccount(found);
    if (previous?.homeAccountId !== found.homeAccountId) this.#invalidation.notify();
    return found;
  }

  /**
   * A token for `request.scopes` (default: the session's `scopes`): from the token store while it is
   * valid beyond `refreshMarginMs`, else from MSAL silently, else by the session's interaction (a
   * redirect rejects with RedirectInProgressError). An aborted `request.signal` rejects with its
   * reason when checked, before and after waiting for the cross-tab lock; MSAL calls are not cancelled.
   */
  async getAccessToken(request: TokenRequest): Promise<AccessToken> {
    await this.initialize();
    request.signal?.throwIfAborted();
    const scopes = request.scopes.length > 0 ? request.scopes : this.#scopes;
    const account = chooseAccount(this.msal, this.#options.account);
    if (!account) return this.#signInFor(scopes, request.claims);
    return storedOrAcquired(this.#store, this.#entry(account), scopes, request, this.#margin, async () => {
      const result = await acquireToken(this.#acquisition, account, scopes, request);
      return rememberToken(this.#store, this.#entry(this.#adopt(result)), scopes, result);
    });
  }

  get #interaction(): Interaction {
    return this.#options.interaction ?? 'redirect';
  }

  /** The store entry that holds the account's access tokens; its cross-tab lock guards their refresh. */
  #entry(account: AccountInfo): string {
    return accountKey(this.msal.getConfiguration().auth.clientId, account.homeAccountId);
  }

  get #acquisition(): AcquisitionContext {
    return { msal: this.msal, navigation: this.#navigation, interaction: this.#interaction };
  }

  // Nobody is signed in yet, so there is no account to key the store or the lock on.
  async #signInFor(scopes: string[], claims: string | undefined): Promise<AccessToken> {
    const result = await interact(this.#acquisition, scopes, undefined, claims);
    return (await this.#keep(result, scopes)).token;
  }

  #adopt(result: AuthenticationResult): AccountInfo {
    return adoptAccount(this.msal, result, () => this.#invalidation.notify());
  }

  /** Adopts the account of an interactive sign-in and stores its token, under that account's lock. */
  async #keep(result: AuthenticationResult, scopes: string[]): Promise<{ account: AccountInfo; token: AccessToken }> {
    const account = this.#adopt(result);
    const entry = this.#entry(account);
    return { account, token: await withEntryLock(this.#store, entry, () => rememberToken(this.#store, entry, scopes, result)) };
  }
}
