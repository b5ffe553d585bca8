// @graphwire/msal-browser — table of contents.
export { MsalBrowserSession } from './msal-browser-session.js';
export type { LoginOptions, LogoutOptions } from './msal-browser-session.js';
export type { Interaction, MsalBrowserSessionOptions, MsalPassThrough } from './session-options.js';
export { IndexedDbTokenStore } from './indexeddb-token-store.js';
export type { IndexedDbTokenStoreOptions } from './indexeddb-token-store.js';
export { RedirectInProgressError, isRedirectInProgressError } from './errors.js';
export type { Cloud } from './clouds.js';
export type { AccountInfo } from '@azure/msal-browser';
