// @graphwire/msal-browser — table of contents.
export { MsalBrowserSession } from './msal-browser-session.js';
export type { Interaction, LoginOptions, LogoutOptions, MsalBrowserSessionOptions, MsalPassThrough } from './session-options.js';
export { IndexedDbTokenStore } from './indexeddb-token-store.js';
export type { IndexedDbTokenStoreOptions } from './indexeddb-token-store.js';
export { RedirectInProgressError, isRedirectInProgressError } from './errors.js';
export type { CloudName as Cloud } from '@graphwire/core';
export type { AccountInfo } from '@azure/msal-browser';
