// @graphwire/msal-node — table of contents.
export { MsalNodeSession } from './msal-node-session.js';
export type { AccountSummary } from './msal-node-session.js';
export type { MsalNodeSessionOptions, MsalNodeFlow, MsalPassThrough, ClientCertificate, ClientAssertionContext, DeviceCodeInfo } from './options.js';
export type { AuthorizationFlowState, AuthorizationUrlRequest } from './flows/authorization-code.js';
export type { CloudName as Cloud } from '@graphwire/core';
export { FileTokenStore } from './file-token-store.js';
export type { FileTokenStoreOptions } from './file-token-store.js';
export { ENCRYPTION_KEY_ENV } from './encryption.js';
export { tokenStoreCachePlugin } from './cache-plugin.js';
export { createNodeFetch, createProxyDispatcher } from './proxy.js';
export type { NodeFetchOptions, FetchLike } from './proxy.js';
export { FetchNetworkClient } from './fetch-network-client.js';
export { RESERVED_SCOPES } from './scopes.js';
