/** Azure AD sign-in hosts of the national clouds, matching the core's `cloud` names. */
export type Cloud = 'global' | 'usgov' | 'dod' | 'china';

const AUTHORITY_HOSTS: Record<Cloud, string> = {
  global: 'login.microsoftonline.com',
  usgov: 'login.microsoftonline.us',
  dod: 'login.microsoftonline.us',
  china: 'login.chinacloudapi.cn',
};

const GRAPH_HOSTS: Record<Cloud, string> = {
  global: 'graph.microsoft.com',
  usgov: 'graph.microsoft.us',
  dod: 'dod-graph.microsoft.us',
  china: 'microsoftgraph.chinacloudapi.cn',
};

export function authorityFor(cloud: Cloud, tenantId: string): string {
  return `https://${AUTHORITY_HOSTS[cloud]}/${tenantId}`;
}

export function defaultGraphScope(cloud: Cloud): string {
  return `https://${GRAPH_HOSTS[cloud]}/.default`;
}
