import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KoaContext } from 'oidc-provider';
import { exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import { arrayOf, optionRules as rules, type OptionRules } from '@graphwire/core';
import { checkOptions } from './options.js';
import {
  assertCertificateHeader, certificateClientMetadata, certificateCredential, processCertificate, type CertificateCredential,
} from './certificate-client.js';
import { msalCompat } from './msal-compat.js';
import { loadOidcProvider } from './load-oidc-provider.js';
import { memoryAdapterFactory } from './memory-adapter.js';
import { handleInteraction, INTERACTION_PATH } from './interactions.js';
import { deviceConfirmPage, deviceInputPage, errorPage, logoutPage, page } from './pages.js';
import { JWT_BEARER_GRANT, PASSWORD_GRANT, registerExtraGrants } from './extra-grants.js';
import { DEFAULT_API_SCOPES, GRAPH_RESOURCE, TEST_CLIENTS, testUsername } from './test-clients.js';

/**
 * Options of {@link startOidcProvider}; all optional, and checked strictly (an unknown key or a
 * wrong type is a `TypeError` naming it).
 */
export interface OidcProviderOptions {
  /** Port to listen on, on 127.0.0.1; default `0`, any free port (read it from {@link OidcProvider.port}). */
  port?: number;
  /** Lifetime of access tokens in seconds (default 3600). msal-node treats a token as expired 300 s early. */
  accessTokenTTL?: number;
  /**
   * API scopes granted besides openid/profile/email/offline_access (and `https://graph.microsoft.com/.default`,
   * always granted); unlisted scopes are dropped silently. Default {@link DEFAULT_API_SCOPES}.
   */
  scopes?: readonly string[];
  /**
   * Origins such as `'http://localhost:5173'` of single-page apps allowed to call the token
   * endpoint (CORS); default none. A client's own redirect URIs' origins are always allowed.
   */
  spaOrigins?: readonly string[];
  /**
   * Extra clients, as raw oidc-provider client metadata (`client_id`, `redirect_uris`, …),
   * registered next to {@link TEST_CLIENTS}.
   */
  clients?: readonly Record<string, unknown>[];
}

export const OIDC_PROVIDER_RULES: OptionRules = {
  port: {
    expected: 'a whole number from 0 (any free port) to 65535',
    test: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65_535,
  },
  accessTokenTTL: { ...rules.positiveInteger, expected: 'a whole number of seconds of at least 1', aliases: ['ttl', 'accessTokenTtl', 'tokenTTL'] },
  scopes: { ...rules.stringArray, aliases: ['scope', 'apiScopes'] },
  spaOrigins: {
    expected: 'an array of origins such as "http://localhost:5173"',
    test: (v) => Array.isArray(v) && v.every((o) => typeof o === 'string' && /^https?:\/\/[^/]+$/.test(o)),
    aliases: ['origins', 'corsOrigins'],
  },
  clients: { ...arrayOf(rules.object), expected: 'an array of oidc-provider client metadata objects', aliases: ['client', 'extraClients'] },
};

/** What MSAL needs to talk to this provider without HTTPS and without Microsoft's instance discovery. */
export interface MsalAuthorityConfig {
  /** An https URL MSAL accepts but never fetches: `authorityMetadata` already holds every endpoint. */
  authority: string;
  /** The authority's host (`localhost:PORT`), so MSAL trusts it without Microsoft's instance discovery. */
  knownAuthorities: string[];
  /** The provider's discovery document as JSON text; its endpoints are plain http on loopback. */
  authorityMetadata: string;
  /** Always `'OIDC'`: MSAL talks plain OpenID Connect instead of Azure AD's dialect. */
  protocolMode: 'OIDC';
}

/**
 * Counters of a provider ({@link OidcProvider.stats}), live, since it started or since
 * {@link OidcProvider.resetStats}. The provider's own discovery fetch at startup is not counted.
 */
export interface OidcProviderStats {
  /** Every HTTP request the provider received. */
  requests: number;
  /** Token endpoint calls by grant_type (after the MSAL rewrites), successful or not. */
  tokenRequests: Record<string, number>;
  /** Token endpoint calls that returned tokens, by grant_type. */
  tokensIssued: Record<string, number>;
  /**
   * Device authorization requests (`POST /devicecode`, where a device-code sign-in starts), successful
   * or not. The polls that follow are token requests, counted under
   * `tokenRequests['urn:ietf:params:oauth:grant-type:device_code']`.
   */
  deviceAuthorizations: number;
}

/**
 * A running local OpenID provider, as returned by {@link startOidcProvider}. Its clients are
 * {@link TEST_CLIENTS}; its access tokens are RS256 JWTs for {@link GRAPH_RESOURCE}, which
 * {@link jwksTokenValidator} checks for the Graph simulator.
 */
export interface OidcProvider {
  /** `http://localhost:PORT`: the `iss` of every token. */
  readonly issuer: string;
  /** The port listened on (on 127.0.0.1): the one picked by the system when the `port` option was `0`. */
  readonly port: number;
  /**
   * MSAL settings for this provider: every field is an MSAL `auth` setting (spread them into a raw
   * MSAL configuration's `auth`), and `@graphwire/msal-node` takes the whole object as its `msal` option.
   */
  readonly msal: MsalAuthorityConfig;
  /** Public signing keys, the same as served at `/jwks`. */
  readonly jwks: JSONWebKeySet;
  /** Live request and token counters. */
  readonly stats: OidcProviderStats;
  /** Key and certificate of `TEST_CLIENTS.certificate` (the same for every provider in one process). */
  readonly certificate: CertificateCredential;
  /** Token endpoint calls with this grant_type, e.g. `'refresh_token'`, `'client_credentials'`. */
  grantCount(grantType: string): number;
  /**
   * Zeroes every counter of `stats`. The `stats` object stays the same, but its `tokenRequests`
   * and `tokensIssued` records are replaced: re-read them after a reset.
   */
  resetStats(): void;
  /** Stops listening and ends every open connection, kept-alive ones included. */
  close(): Promise<void>;
}

/**
 * Starts a real OpenID provider (panva's oidc-provider) on 127.0.0.1, configured for MSAL: client
 * credentials, authorization code with PKCE, device code, refresh tokens, password,
 * on-behalf-of (JWT bearer) and certificate (`private_key_jwt`) client authentication, with the
 * clients of {@link TEST_CLIENTS}. Its login page accepts any user name and password (the name
 * becomes the token's `sub`; {@link signInAs} clicks through it); the password grant wants
 * {@link TEST_USER_PASSWORD}.
 *
 * @param options - Port, token lifetime, scopes, SPA origins and extra clients; all optional.
 * @returns The running provider, listening; close it with {@link OidcProvider.close}.
 * @throws TypeError (as a rejection) for an unknown option or a value of the wrong type.
 */
export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<OidcProvider> {
  checkOptions('startOidcProvider', options, OIDC_PROVIDER_RULES);
  const ttl = options.accessTokenTTL ?? 3600;
  const apiScopes = [...(options.scopes ?? DEFAULT_API_SCOPES)];
  const spaOrigins = [...(options.spaOrigins ?? [])];
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // `localhost` rather than 127.0.0.1 because MSAL's loopback redirect is http://localhost:PORT.
  const issuer = `http://localhost:${port}`;

  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `k-${port}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };

  const cert = await processCertificate();
  const { default: Provider, errors } = await loadOidcProvider();
  // Configured so that oidc-provider has nothing to warn about: its own signing keys (above), an
  // adapter of its own, its own login and consent pages instead of the development-only
  // devInteractions, its own device and logout pages, and request bodies it reads itself.
  const provider = new Provider(issuer, {
    adapter: memoryAdapterFactory(),
    clients: [
      {
        client_id: TEST_CLIENTS.confidential.clientId,
        client_secret: TEST_CLIENTS.confidential.clientSecret,
        grant_types: ['client_credentials', 'authorization_code', 'refresh_token', PASSWORD_GRANT, JWT_BEARER_GRANT],
        response_types: ['code'],
        redirect_uris: [TEST_CLIENTS.confidential.redirectUri],
        token_endpoint_auth_method: 'client_secret_post',
      },
      {
        client_id: TEST_CLIENTS.public.clientId,
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'authorization_code', 'refresh_token', PASSWORD_GRANT],
        response_types: ['code'],
        // native + loopback: oidc-provider ignores the port, as RFC 8252 asks (MSAL picks a random one).
        redirect_uris: ['http://localhost', 'http://localhost/', TEST_CLIENTS.public.redirectUri],
        token_endpoint_auth_method: 'none',
        application_type: 'native',
      },
      certificateClientMetadata(cert),
      ...(options.clients ?? []),
    ],
    assertJwtClientAuthClaimsAndHeader: assertCertificateHeader(cert, errors),
    jwks: { keys: [privateJwk] },
    async findAccount(_ctx: unknown, sub: string) {
      return {
        accountId: sub,
        async claims() {
          const email = testUsername(sub);
          return { sub, name: `User ${sub}`, preferred_username: email, email, email_verified: true };
        },
      };
    },
    // Profile claims in the id_token: MSAL reads account.username from preferred_username.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'offline_access', 'profile', 'email', ...apiScopes, `${GRAPH_RESOURCE}/.default`],
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${INTERACTION_PATH}${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: async (ctx: KoaContext, form: string, _out: unknown, err: unknown) => {
          ctx.body = deviceInputPage(form, err !== undefined);
        },
        userCodeConfirmSource: async (ctx: KoaContext, form: string, client: { clientId: string }, _info: unknown, userCode: string) => {
          ctx.body = deviceConfirmPage(form, client.clientId, userCode);
        },
        successSource: async (ctx: KoaContext) => {
          ctx.body = page('Signed in', '<p>You are signed in. You can close this page and go back to your device.</p>');
        },
      },
      introspection: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContext, form: string) => { ctx.body = logoutPage(form, ctx.host); },
        postLogoutSuccessSource: async (ctx: KoaContext) => { ctx.body = page('Signed out', '<p>You are signed out.</p>'); },
      },
      // JWT access tokens for Graph's audience, so a resource server can verify them offline.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => GRAPH_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: [`${GRAPH_RESOURCE}/.default`, ...apiScopes].join(' '),
          audience: GRAPH_RESOURCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ttl,
        }),
      },
    },
    // MSAL never sends prompt=consent, without which oidc-provider drops offline_access.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    clientBasedCORS: (_ctx: unknown, origin: string, client: { redirectUris: string[] }) =>
      spaOrigins.includes(origin) || client.redirectUris.some((u) => u.startsWith(origin)),
    pkce: { required: (_ctx: unknown, client: { clientAuthMethod: string }) => client.clientAuthMethod === 'none' },
    ttl: {
      AccessToken: ttl, ClientCredentials: ttl, IdToken: 3600, RefreshToken: 86_400, AuthorizationCode: 60,
      DeviceCode: 600, Interaction: 600, Session: 86_400, Grant: 86_400,
    },
    // MSAL derives the device endpoint as token_endpoint.replace('/token', '/devicecode').
    routes: {
      authorization: '/authorize', token: '/token', device_authorization: '/devicecode', code_verification: '/device',
      userinfo: '/userinfo', jwks: '/jwks', end_session: '/logout', introspection: '/introspect', revocation: '/revoke',
    },
    cookies: { keys: [`cookie-key-${port}`] },
    renderError: async (ctx: { type: string; body: string }, out: unknown) => {
      ctx.type = 'html';
      ctx.body = errorPage(out);
    },
  });

  const stats: OidcProviderStats = { requests: 0, tokenRequests: {}, tokensIssued: {}, deviceAuthorizations: 0 };
  const compat = msalCompat((grantType, ok) => {
    stats.tokenRequests[grantType] = (stats.tokenRequests[grantType] ?? 0) + 1;
    if (ok) stats.tokensIssued[grantType] = (stats.tokensIssued[grantType] ?? 0) + 1;
  });
  provider.use(compat.middleware);
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/devicecode') stats.deviceAuthorizations += 1;
    await next();
  });
  registerExtraGrants(provider, errors, jwks, apiScopes);
  if (process.env.GRAPHWIRE_OIDC_DEBUG) {
    for (const event of ['server_error', 'grant.error']) {
      provider.on(event, (_ctx: unknown, error: unknown) => console.error(`[oidc-provider] ${event}`, (error as { error_detail?: string }).error_detail ?? error));
    }
  }
  const callback = provider.callback();
  server.on('request', (req, res) => {
    stats.requests += 1;
    void (async () => {
      if (req.url?.startsWith(INTERACTION_PATH) && (await handleInteraction(provider, req, res))) return;
      callback(await compat.rewrite(req), res);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`local OpenID provider: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  // oidc-provider derives endpoint URLs from the Host header: ask as `localhost` to match the issuer.
  const discovery = await getText(port, '/.well-known/openid-configuration', `localhost:${port}`);
  stats.requests = 0;
  const host = `localhost:${port}`;

  return {
    issuer,
    port,
    jwks,
    stats,
    certificate: certificateCredential(cert),
    msal: { authority: `https://${host}/`, knownAuthorities: [host], authorityMetadata: discovery, protocolMode: 'OIDC' },
    grantCount: (grantType) => stats.tokenRequests[grantType] ?? 0,
    resetStats() {
      stats.requests = 0;
      stats.tokenRequests = {};
      stats.tokensIssued = {};
      stats.deviceAuthorizations = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function getText(port: number, path: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    }).on('error', reject);
  });
}
