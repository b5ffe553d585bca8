// The servers a browser test talks to: the local OpenID provider and the Graph simulator,
// both from @graphwire/testing, with a single-page-app client registered for the test origins.
import { startGraphSimulator, type GraphSimulator } from '@graphwire/testing';
import { jwksTokenValidator, startOidcProvider, type OidcProvider } from '@graphwire/testing';

export const SPA_CLIENT_ID = 'graphwire-spa';

export interface Environment {
  provider: OidcProvider;
  graph: GraphSimulator;
  close(): Promise<void>;
}

/** `origins` are the app origins allowed to sign in (redirect URIs, CORS at the token endpoint). */
export async function startEnvironment(origins: string[], accessTokenTTL = 3600): Promise<Environment> {
  const provider = await startOidcProvider({
    accessTokenTTL,
    spaOrigins: origins,
    clients: [
      {
        client_id: SPA_CLIENT_ID,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: origins.map((o) => `${o}/redirect.html`),
        // Popup logout ends on the redirect bridge page, redirect logout on the app.
        post_logout_redirect_uris: origins.flatMap((o) => [`${o}/`, `${o}/redirect.html`]),
        token_endpoint_auth_method: 'none',
      },
    ],
  });
  // Graph checks signature, issuer, audience and expiry of every bearer, as the real one does.
  const graph = await startGraphSimulator({ validateToken: jwksTokenValidator(provider) });
  return {
    provider,
    graph,
    async close() {
      await graph.close();
      await provider.close();
    },
  };
}

/** What the test page (test/pages/app.ts) reads from its `<script id="cfg">`. */
export interface PageConfig {
  clientId: string;
  authority: string;
  knownAuthorities: string[];
  authorityMetadata: string;
  graphBaseUrl: string;
  scopes: string[];
  interaction: 'popup' | 'redirect';
  databaseName?: string;
  encrypt?: boolean;
  disableWebLocks?: boolean;
  refreshMarginMs?: number;
  tokenRenewalOffsetSeconds?: number;
  /** Lease of the IndexedDB lock used where Web Locks are missing. */
  leaseMs?: number;
  /** The page builds its own PublicClientApplication and passes it as `msalInstance`. */
  ownInstance?: boolean;
}

export function pageConfig(env: Environment, overrides: Partial<PageConfig> = {}): PageConfig {
  return {
    clientId: SPA_CLIENT_ID,
    authority: env.provider.msal.authority,
    knownAuthorities: env.provider.msal.knownAuthorities,
    authorityMetadata: env.provider.msal.authorityMetadata,
    graphBaseUrl: `${env.graph.url}/v1.0`,
    scopes: ['User.Read'],
    interaction: 'popup',
    ...overrides,
  };
}

export function appHtml(config: PageConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html><html><head><meta charset="utf-8"><title>app</title>
<script type="application/json" id="cfg">${json}</script></head>
<body><button id="login">sign in</button><script type="module" src="/app.js"></script></body></html>`;
}

export const REDIRECT_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>redirect</title></head>
<body><script type="module" src="/redirect.js"></script></body></html>`;
