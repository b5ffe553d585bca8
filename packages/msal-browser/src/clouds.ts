import { cloudEndpoint, type CloudName } from '@graphwire/core';

/** National clouds, named as in the core's `Connection({ cloud })`. */
export type Cloud = CloudName;

// Sign-in hosts per cloud; the Graph hosts come from the core so both sides agree.
const LOGIN_HOSTS: Record<Cloud, string> = {
  global: 'https://login.microsoftonline.com',
  usgov: 'https://login.microsoftonline.us',
  dod: 'https://login.microsoftonline.us',
  china: 'https://login.chinacloudapi.cn',
};

export function authorityFor(cloud: Cloud, tenantId: string): string {
  return `${LOGIN_HOSTS[cloud]}/${tenantId}`;
}

/** The scope the core's `Connection` asks for by default, so login consents to the same thing. */
export function defaultScopesFor(cloud: Cloud): string[] {
  return [cloudEndpoint(cloud, 'v1.0').defaultScope];
}
