/** Microsoft Graph national cloud deployments, and the Microsoft Entra sign-in host of each. */
const CLOUDS = {
  global: { graph: 'graph.microsoft.com', login: 'login.microsoftonline.com' },
  usgov: { graph: 'graph.microsoft.us', login: 'login.microsoftonline.us' },
  dod: { graph: 'dod-graph.microsoft.us', login: 'login.microsoftonline.us' },
  china: { graph: 'microsoftgraph.chinacloudapi.cn', login: 'login.chinacloudapi.cn' },
} as const;

export type CloudName = keyof typeof CLOUDS;
export type ApiVersion = 'v1.0' | 'beta';

export const CLOUD_HOSTS: Readonly<Record<CloudName, string>> = Object.freeze(
  Object.fromEntries(Object.entries(CLOUDS).map(([name, hosts]) => [name, hosts.graph])) as Record<CloudName, string>,
);

export interface CloudEndpoint {
  host: string;
  baseUrl: string;
  defaultScope: string;
  /** Sign-in host for MSAL authorities, e.g. login.microsoftonline.us. */
  loginHost: string;
}

export function isCloudName(value: unknown): value is CloudName {
  return typeof value === 'string' && Object.hasOwn(CLOUDS, value);
}

export function cloudEndpoint(cloud: CloudName, apiVersion: ApiVersion = 'v1.0'): CloudEndpoint {
  const { graph, login } = CLOUDS[cloud];
  return { host: graph, baseUrl: `https://${graph}/${apiVersion}`, defaultScope: `https://${graph}/.default`, loginHost: login };
}

/** The MSAL authority of a tenant in a national cloud: `https://<login host>/<tenant>`. */
export function authorityFor(cloud: CloudName, tenantId: string): string {
  return `https://${CLOUDS[cloud].login}/${tenantId}`;
}
