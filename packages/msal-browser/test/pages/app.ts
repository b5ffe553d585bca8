// The app under test, bundled by esbuild: a session and a Connection exactly as an SPA builds them,
// plus hooks (window.app) for Playwright to drive and observe them.
import { EventType, PublicClientApplication } from '@azure/msal-browser';
import { createStore, get } from 'idb-keyval';
import { Connection, isGraphAuthError } from '@graphwire/core';
import { IndexedDbTokenStore, MsalBrowserSession, isRedirectInProgressError } from '@graphwire/msal-browser';
import type { PageConfig } from '../support/environment.js';

const cfg = JSON.parse(document.getElementById('cfg')?.textContent ?? '{}') as PageConfig;
// Simulates a browser without Web Locks, so the IndexedDB lease fallback does the locking.
if (cfg.disableWebLocks) Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true });

export interface ErrorInfo { name: string; message: string; errorCode?: string; graphAuth: boolean; redirect: boolean }
const describe = (e: unknown): ErrorInfo => ({
  name: e instanceof Error ? e.name : typeof e,
  message: e instanceof Error ? e.message : String(e),
  errorCode: (e as { errorCode?: string }).errorCode,
  graphAuth: isGraphAuthError(e),
  redirect: isRedirectInProgressError(e),
});

const databaseName = cfg.databaseName ?? 'graphwire';
const warnings: string[] = [];
const tokenStore = new IndexedDbTokenStore({
  databaseName,
  encrypt: cfg.encrypt ?? false,
  onWarning: (m) => warnings.push(m),
  ...(cfg.leaseMs !== undefined ? { leaseMs: cfg.leaseMs } : {}),
});
const msalAuth = { knownAuthorities: cfg.knownAuthorities, authorityMetadata: cfg.authorityMetadata };
// An MSAL application the app built itself (the `msalInstance` option): the session configures nothing.
const ownInstance = cfg.ownInstance
  ? new PublicClientApplication({
    auth: { clientId: cfg.clientId, authority: cfg.authority, redirectUri: `${location.origin}/redirect.html`, ...msalAuth },
    cache: { cacheLocation: 'localStorage' },
    system: { protocolMode: 'OIDC' },
  })
  : undefined;
const session = new MsalBrowserSession({
  clientId: cfg.clientId,
  authority: cfg.authority,
  interaction: cfg.interaction,
  scopes: cfg.scopes,
  tokenStore,
  ...(cfg.refreshMarginMs !== undefined ? { refreshMarginMs: cfg.refreshMarginMs } : {}),
  ...(ownInstance ? { msalInstance: ownInstance } : {}),
  msal: {
    auth: msalAuth,
    system: { protocolMode: 'OIDC', ...(cfg.tokenRenewalOffsetSeconds !== undefined ? { tokenRenewalOffsetSeconds: cfg.tokenRenewalOffsetSeconds } : {}) },
  },
});
// One Connection for the page's life: the session's logout makes it drop its in-memory token.
const connect = () => new Connection({
  session,
  baseUrl: cfg.graphBaseUrl,
  scopes: cfg.scopes,
  ...(cfg.refreshMarginMs !== undefined ? { refreshMargin: cfg.refreshMarginMs } : {}),
});
let con = connect();

// Every MSAL token acquisition announces itself: a reload served from IndexedDB has none.
const msalAcquisitions: string[] = [];
session.msal.addEventCallback((event) => {
  if (event.eventType === EventType.ACQUIRE_TOKEN_START) msalAcquisitions.push(event.eventType);
});

const rawStore = createStore(databaseName, 'tokens');
const capture = async <T>(work: () => Promise<T>): Promise<{ ok: T } | { error: ErrorInfo }> => {
  try {
    return { ok: await work() };
  } catch (error) {
    return { error: describe(error) };
  }
};

const app = {
  ready: session.initialize().then((account) => account?.username ?? null),
  login: () => capture(async () => (await session.login()).username),
  me: () => capture(() => con.get('me').json<{ displayName: string }>()),
  token: () => capture(async () => (await session.getAccessToken({ scopes: cfg.scopes })).token),
  refresh: () => capture(async () => (await session.getAccessToken({ scopes: cfg.scopes, forceRefresh: true })).token),
  logout: (interaction?: 'popup' | 'redirect') => capture(async () => {
    await session.logout(interaction ? { interaction } : {});
    return null;
  }),
  /** A new Connection, which asks the session (so the store) for its first token. */
  reconnect: () => void (con = connect()),
  accounts: async () => (await session.accounts()).map((a) => a.username),
  usesOwnInstance: () => ownInstance !== undefined && session.msal === ownInstance,
  /** From now on every IndexedDB write in this page fails as a full disk does. */
  failIndexedDbWrites: () => {
    const quota = () => {
      throw new DOMException('test: quota exceeded', 'QuotaExceededError');
    };
    for (const method of ['put', 'add', 'delete', 'clear'] as const) {
      Object.defineProperty(IDBObjectStore.prototype, method, { value: quota, configurable: true, writable: true });
    }
  },
  rawStored: async (key: string) => {
    const value: unknown = await get(key, rawStore);
    return typeof value === 'string' ? { kind: 'string', text: value } : { kind: typeof value, text: JSON.stringify(value ?? null) };
  },
  persistent: () => tokenStore.isPersistent(),
  homeAccountId: async () => (await session.activeAccount())?.homeAccountId ?? null,
  msalAcquisitions,
  warnings,
  loginResult: undefined as unknown,
};
// The sign-in button is a real user gesture (Playwright clicks it), so the popup is not blocked.
document.getElementById('login')?.addEventListener('click', () => {
  void app.login().then((r) => {
    app.loginResult = r;
    // A redirect sign-in leaves the page: keep its outcome for the test to read after the return.
    sessionStorage.setItem('loginResult', JSON.stringify(r));
  });
});
Object.assign(window, { app });
export type App = typeof app;
