// Where the app signs in and which Graph it calls, from VITE_GRAPHWIRE_* variables (read by Vite
// when it builds or serves the app, from the environment or a .env.local file).
//
// With VITE_GRAPHWIRE_TENANT_ID set: a real Microsoft Entra tenant and graph.microsoft.com.
// Without it: the local OpenID provider and Graph simulator from @graphwire/testing, as started by
// `npm run dev` (scripts/dev.ts), so the app runs with no Azure account and no network.
import type { MsalBrowserSessionOptions } from '@graphwire/msal-browser';

export interface AppConfig {
  /** `tenant`: Microsoft's sign-in and Graph; `local`: the local provider and simulator. */
  mode: 'tenant' | 'local';
  clientId: string;
  /** `tenant` mode: the directory (tenant) id or domain. */
  tenantId?: string;
  /** `local` mode: the local OpenID provider's issuer URL. */
  issuer?: string;
  graphBaseUrl: string;
  scopes: string[];
}

/** What `npm run dev` starts (scripts/dev.ts uses the same values). */
export const LOCAL_DEFAULTS = {
  clientId: 'graphwire-spa',
  issuer: 'http://localhost:5181',
  graphBaseUrl: 'http://127.0.0.1:5182/v1.0',
  // The local provider grants only the scopes it lists; User.Read is enough for its simulator.
  scopes: ['User.Read'],
} as const;

export const TENANT_DEFAULTS = {
  graphBaseUrl: 'https://graph.microsoft.com/v1.0',
  // GET /users needs User.ReadBasic.All (a delegated permission users can consent to themselves).
  scopes: ['User.Read', 'User.ReadBasic.All'],
} as const;

const value = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
const scopeList = (v: string | undefined) => value(v)?.split(/[\s,]+/);

export function readConfig(env: ImportMetaEnv = import.meta.env): AppConfig {
  const tenantId = value(env.VITE_GRAPHWIRE_TENANT_ID);
  if (tenantId) {
    const clientId = value(env.VITE_GRAPHWIRE_CLIENT_ID);
    if (!clientId) throw new Error('VITE_GRAPHWIRE_TENANT_ID is set: set VITE_GRAPHWIRE_CLIENT_ID to your app registration\'s client id too');
    return {
      mode: 'tenant',
      clientId,
      tenantId,
      graphBaseUrl: value(env.VITE_GRAPHWIRE_GRAPH_URL) ?? TENANT_DEFAULTS.graphBaseUrl,
      scopes: scopeList(env.VITE_GRAPHWIRE_SCOPES) ?? [...TENANT_DEFAULTS.scopes],
    };
  }
  return {
    mode: 'local',
    clientId: value(env.VITE_GRAPHWIRE_CLIENT_ID) ?? LOCAL_DEFAULTS.clientId,
    issuer: (value(env.VITE_GRAPHWIRE_ISSUER) ?? LOCAL_DEFAULTS.issuer).replace(/\/$/, ''),
    graphBaseUrl: value(env.VITE_GRAPHWIRE_GRAPH_URL) ?? LOCAL_DEFAULTS.graphBaseUrl,
    scopes: scopeList(env.VITE_GRAPHWIRE_SCOPES) ?? [...LOCAL_DEFAULTS.scopes],
  };
}

/**
 * The sign-in part of the session options. A real tenant needs only its id. The local provider is
 * plain http, which MSAL refuses as an authority: MSAL gets an https authority it never fetches plus
 * the provider's discovery document (whose endpoints are http on loopback), and OIDC protocol mode
 * so it does not ask Microsoft's instance discovery.
 */
export async function signInOptions(config: AppConfig): Promise<MsalBrowserSessionOptions> {
  if (config.mode === 'tenant') return { clientId: config.clientId, tenantId: config.tenantId };
  const issuer = new URL(config.issuer ?? LOCAL_DEFAULTS.issuer);
  const response = await fetch(`${issuer.origin}/.well-known/openid-configuration`).catch((cause: unknown) => {
    throw new Error(`The local OpenID provider at ${issuer.origin} does not answer: start it with \`npm run dev\``, { cause });
  });
  if (!response.ok) throw new Error(`The local OpenID provider at ${issuer.origin} answered ${response.status} for its discovery document`);
  return {
    clientId: config.clientId,
    authority: `https://${issuer.host}/`,
    msal: {
      auth: { knownAuthorities: [issuer.host], authorityMetadata: await response.text() },
      system: { protocolMode: 'OIDC' },
    },
  };
}
