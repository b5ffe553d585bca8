import type { AccountInfo, BrowserAuthOptions, Configuration, IPublicClientApplication } from '@azure/msal-browser';
import type { TokenStore } from '@graphwire/core';
import { authorityFor, oneOf, optionRules as rules, type CloudName as Cloud, type OptionRules } from '@graphwire/core';
import { PREFIX } from './errors.js';

/**
 * How the user is asked to sign in (or out): `redirect` navigates the page away and back, and the
 * call rejects with RedirectInProgressError; `popup` opens a window and resolves when it closes.
 */
export type Interaction = 'redirect' | 'popup';

const INTERACTION = { ...oneOf('redirect', 'popup'), aliases: ['mode', 'interactionType'] };

/** Options of `session.login()`; invalid ones throw a `TypeError`. */
export interface LoginOptions {
  /** Scopes to consent to at sign-in; default the session's `scopes`. */
  scopes?: string[];
  /** Overrides the session's `interaction` for this sign-in. */
  interaction?: Interaction;
  /** e.g. `select_account` to let the user add or pick another account. */
  prompt?: string;
  /** Username to prefill on the sign-in page. */
  loginHint?: string;
}

export const LOGIN_OPTION_RULES: OptionRules = {
  scopes: { ...rules.scopes, aliases: ['scope'] },
  interaction: INTERACTION,
  prompt: rules.nonEmptyString,
  loginHint: { ...rules.nonEmptyString, aliases: ['username', 'login_hint'] },
};

/** Options of `session.logout()`; invalid ones throw a `TypeError`. */
export interface LogoutOptions {
  /** Overrides the session's `interaction` for this sign-out; ignored with `localOnly`. */
  interaction?: Interaction;
  /** Forget the account in this browser only, without visiting the identity provider. */
  localOnly?: boolean;
  /** Default the active account. */
  account?: AccountInfo;
}

const ACCOUNT_INFO = {
  expected: 'an AccountInfo (an object with homeAccountId and username), e.g. from session.accounts()',
  test: (v: unknown) => typeof v === 'object' && v !== null
    && typeof (v as AccountInfo).homeAccountId === 'string' && typeof (v as AccountInfo).username === 'string',
};

export const LOGOUT_OPTION_RULES: OptionRules = {
  interaction: INTERACTION,
  localOnly: { ...rules.boolean, aliases: ['local'] },
  account: ACCOUNT_INFO,
};

/** MSAL's own configuration, passed through: `auth.knownAuthorities`, `auth.authorityMetadata`, `system.protocolMode`, `cache`, … */
export type MsalPassThrough = Omit<Configuration, 'auth'> & {
  /** MSAL's `auth` section, every key optional; its keys win over `authority`, `redirectUri` and `postLogoutRedirectUri`, not over `clientId`. */
  auth?: Partial<BrowserAuthOptions>;
};

/**
 * Options of `new MsalBrowserSession()`, validated by the constructor: an unknown key or a wrong
 * type throws a `TypeError`. Give `clientId`, or an `msalInstance` you configured yourself.
 */
export interface MsalBrowserSessionOptions {
  /** The app registration's client id. Required unless `msalInstance` is given. */
  clientId?: string;
  /** Tenant id or domain; default `common`. Ignored when `authority` is set. */
  tenantId?: string;
  /** Full authority URL; overrides `cloud` + `tenantId`. */
  authority?: string;
  /** National cloud of the sign-in endpoint and of the default scopes; default `global`. */
  cloud?: Cloud;
  /**
   * A page that calls `broadcastResponseToMainFrame()` from `@azure/msal-browser/redirect-bridge`
   * (MSAL 5 needs one, for popups and redirects alike); default `<origin>/redirect.html`.
   */
  redirectUri?: string;
  /** Where logout returns; default the origin's root. */
  postLogoutRedirectUri?: string;
  /** Scopes for `login()` and for token requests that name none; default the cloud's Graph `/.default`. */
  scopes?: string[];
  /** How the user is asked when no token can be had silently; default `redirect`. */
  interaction?: Interaction;
  /** Where access tokens persist; default a new `IndexedDbTokenStore()`. */
  tokenStore?: TokenStore;
  /** A token is reused from the store until this many ms before it expires; default 300 000 (5 min). */
  refreshMarginMs?: number;
  /** Which signed-in account to use when several are (username or homeAccountId); default the active, else the only one. */
  account?: string;
  /** Pass-through MSAL configuration, merged over what the options above produce. */
  msal?: MsalPassThrough;
  /** An already created MSAL application; the options that configure MSAL are then ignored. */
  msalInstance?: IPublicClientApplication;
}

/** MSAL's own sections are passed through as they are; only their names are checked here. */
export const MSAL_PASS_THROUGH_RULES: OptionRules = {
  auth: rules.object,
  cache: rules.object,
  system: rules.object,
  experimental: rules.object,
  telemetry: rules.object,
};

/** Every key of MsalBrowserSessionOptions: checked by the constructor before anything else. */
export const MSAL_BROWSER_SESSION_RULES: OptionRules = {
  clientId: { ...rules.nonEmptyString, aliases: ['client_id', 'appId', 'applicationId'] },
  tenantId: { ...rules.nonEmptyString, aliases: ['tenant', 'tenant_id'] },
  authority: rules.nonEmptyString,
  cloud: oneOf('global', 'usgov', 'dod', 'china'),
  redirectUri: { ...rules.nonEmptyString, aliases: ['redirectUrl', 'redirect_uri'] },
  postLogoutRedirectUri: { ...rules.nonEmptyString, aliases: ['postLogoutRedirectUrl', 'logoutRedirectUri'] },
  scopes: { ...rules.scopes, aliases: ['scope'] },
  interaction: INTERACTION,
  tokenStore: { ...rules.tokenStore, aliases: ['store', 'cache'] },
  refreshMarginMs: { ...rules.milliseconds, aliases: ['refreshMargin'] },
  account: { ...rules.nonEmptyString, expected: 'a username or homeAccountId string', aliases: ['username', 'loginHint'] },
  msal: { ...rules.object, keys: MSAL_PASS_THROUGH_RULES, aliases: ['msalConfig', 'configuration'] },
  msalInstance: {
    expected: 'an MSAL PublicClientApplication (or any IPublicClientApplication)',
    test: (v) => typeof v === 'object' && v !== null && typeof (v as IPublicClientApplication).acquireTokenSilent === 'function',
    aliases: ['instance', 'msalApp', 'app', 'pca'],
  },
};

/**
 * The MSAL configuration for a session that creates its own application. `localStorage` by
 * default, because the refresh token must survive reloads and be usable from every tab.
 */
export function buildMsalConfiguration(options: MsalBrowserSessionOptions, refreshMarginMs: number, onRedirectNavigate: () => void): Configuration {
  if (!options.clientId) throw new TypeError(`${PREFIX} clientId is required unless msalInstance is given`);
  const origin = globalThis.location?.origin ?? '';
  const passAuth = options.msal?.auth ?? {};
  const userNavigate = passAuth.onRedirectNavigate;
  return {
    ...options.msal,
    auth: {
      authority: options.authority ?? authorityFor(options.cloud ?? 'global', options.tenantId ?? 'common'),
      redirectUri: options.redirectUri ?? `${origin}/redirect.html`,
      postLogoutRedirectUri: options.postLogoutRedirectUri ?? `${origin}/`,
      ...passAuth,
      clientId: options.clientId,
      onRedirectNavigate: (url: string) => {
        const proceed = userNavigate?.(url);
        if (proceed !== false) onRedirectNavigate();
        return proceed;
      },
    },
    cache: { cacheLocation: 'localStorage', ...options.msal?.cache },
    // MSAL compares whole seconds: renewing a second beyond the session's margin means a token
    // the session deems stale is never handed back again from MSAL's cache.
    system: { tokenRenewalOffsetSeconds: Math.ceil(refreshMarginMs / 1000) + 1, ...options.msal?.system },
  };
}
