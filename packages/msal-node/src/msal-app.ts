import { ConfidentialClientApplication, PublicClientApplication, type Configuration, type ICachePlugin } from '@azure/msal-node';
import { authorityFor } from '@graphwire/core';
import { FetchNetworkClient } from './fetch-network-client.js';
import type { MsalNodeSessionOptions } from './options.js';
import type { FetchLike } from './proxy.js';

export type MsalApp = PublicClientApplication | ConfidentialClientApplication;

/** True when the options carry a client credential, i.e. MSAL needs a ConfidentialClientApplication. */
export function isConfidential(options: MsalNodeSessionOptions): boolean {
  return Boolean(options.clientSecret || options.clientCertificate || options.clientAssertion);
}

export function createMsalApp(options: MsalNodeSessionOptions, cachePlugin: ICachePlugin, fetch: FetchLike): MsalApp {
  // The options were validated by the session (one credential at most, the right types).
  const pass = options.msal ?? {};
  const config: Configuration = {
    auth: {
      clientId: options.clientId,
      authority: options.authority ?? pass.authority ?? authorityFor(options.cloud ?? 'global', options.tenantId ?? 'common'),
      ...(pass.knownAuthorities ? { knownAuthorities: pass.knownAuthorities } : {}),
      ...(pass.authorityMetadata ? { authorityMetadata: pass.authorityMetadata } : {}),
      ...(pass.cloudDiscoveryMetadata ? { cloudDiscoveryMetadata: pass.cloudDiscoveryMetadata } : {}),
      ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
      ...(options.clientCertificate ? { clientCertificate: options.clientCertificate } : {}),
      ...(options.clientAssertion ? { clientAssertion: options.clientAssertion } : {}),
    },
    cache: { cachePlugin },
    system: {
      networkClient: pass.networkClient ?? new FetchNetworkClient(fetch),
      ...(pass.protocolMode ? { protocolMode: pass.protocolMode } : {}),
      ...(pass.loggerOptions ? { loggerOptions: pass.loggerOptions } : {}),
    },
  };
  return isConfidential(options) ? new ConfidentialClientApplication(config) : new PublicClientApplication(config);
}
