/** Microsoft Graph national cloud deployments. */
export const CLOUD_HOSTS = {
  global: 'graph.microsoft.com',
  usgov: 'graph.microsoft.us',
  dod: 'dod-graph.microsoft.us',
  china: 'microsoftgraph.chinacloudapi.cn',
} as const;

export type CloudName = keyof typeof CLOUD_HOSTS;
export type ApiVersion = 'v1.0' | 'beta';

export interface CloudEndpoint {
  host: string;
  baseUrl: string;
  defaultScope: string;
}

export function isCloudName(value: unknown): value is CloudName {
  return typeof value === 'string' && Object.hasOwn(CLOUD_HOSTS, value);
}

export function cloudEndpoint(cloud: CloudName, apiVersion: ApiVersion): CloudEndpoint {
  const host = CLOUD_HOSTS[cloud];
  return { host, baseUrl: `https://${host}/${apiVersion}`, defaultScope: `https://${host}/.default` };
}
