/** A Microsoft Graph national cloud: `'global'` (graph.microsoft.com), `'usgov'`, `'dod'` or `'china'`. */
export type CloudName = 'global' | 'usgov' | 'dod' | 'china';
/** A Graph API version, as it appears in the base URL. */
export type ApiVersion = 'v1.0' | 'beta';

/** Microsoft Graph national cloud deployments, and the Microsoft Entra sign-in host of each. */
const CLOUDS = {
  global: { graph: 'graph.microsoft.com', login: 'login.microsoftonline.com' },
  usgov: { graph: 'graph.microsoft.us', login: 'login.microsoftonline.us' },
  dod: { graph: 'dod-graph.microsoft.us', login: 'login.microsoftonline.us' },
  china: { graph: 'microsoftgraph.chinacloudapi.cn', login: 'login.chinacloudapi.cn' },
} as const satisfies Record<CloudName, { graph: string; login: string }>;

/** The Graph host of each national cloud, e.g. `CLOUD_HOSTS.usgov` is `'graph.microsoft.us'`. Frozen. */
export const CLOUD_HOSTS: Readonly<Record<CloudName, string>> = Object.freeze(
  Object.fromEntries(Object.entries(CLOUDS).map(([name, hosts]) => [name, hosts.graph])) as Record<CloudName, string>,
);

/** Where a national cloud's Graph lives and how to ask for a token to it. */
export interface CloudEndpoint {
  /** The Graph host, e.g. graph.microsoft.us. */
  host: string;
  /** `https://<host>/<apiVersion>`, what paths resolve against. */
  baseUrl: string;
  /** The scope for the app's configured permissions: `https://<host>/.default`. */
  defaultScope: string;
  /** Sign-in host for MSAL authorities, e.g. login.microsoftonline.us. */
  loginHost: string;
}

export function isCloudName(value: unknown): value is CloudName {
  return typeof value === 'string' && Object.hasOwn(CLOUDS, value);
}

/**
 * The Graph host, base URL, default scope and sign-in host of a national cloud:
 * `cloudEndpoint('usgov').baseUrl` is `'https://graph.microsoft.us/v1.0'`.
 *
 * @param apiVersion - Default `'v1.0'`.
 */
export function cloudEndpoint(cloud: CloudName, apiVersion: ApiVersion = 'v1.0'): CloudEndpoint {
  const { graph, login } = CLOUDS[cloud];
  return { host: graph, baseUrl: `https://${graph}/${apiVersion}`, defaultScope: `https://${graph}/.default`, loginHost: login };
}

/** The MSAL authority of a tenant in a national cloud: `https://<login host>/<tenant>`. */
export function authorityFor(cloud: CloudName, tenantId: string): string {
  return `https://${CLOUDS[cloud].login}/${tenantId}`;
}
