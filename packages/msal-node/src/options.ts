import type { INetworkModule, NodeSystemOptions } from '@azure/msal-node';
import type { TokenStore } from '@graphwire/core';
import type { CloudName as Cloud } from '@graphwire/core';
import { either, oneOf, optionRules as rules, type OptionRule, type OptionRules } from '@graphwire/core';

/** python-o365's `auth_flow_type` names, plus `device`, `interactive` and `on-behalf-of`. */
export type MsalNodeFlow = 'credentials' | 'authorization' | 'device' | 'interactive' | 'password' | 'on-behalf-of';

export const FLOWS: readonly MsalNodeFlow[] = ['credentials', 'authorization', 'device', 'interactive', 'password', 'on-behalf-of'];

/**
 * The certificate credential of a confidential client: the private key MSAL signs its client
 * assertion with, and the thumbprint of the certificate registered with the app. One of
 * `thumbprintSha256` or `thumbprint` is required.
 */
export interface ClientCertificate {
  /** SHA-1 thumbprint, hex (older Azure AD); prefer `thumbprintSha256`. */
  thumbprint?: string;
  /** SHA-256 thumbprint of the registered certificate, hex. MSAL then signs PS256 with an `x5t#S256` header. */
  thumbprintSha256?: string;
  /** PEM private key. */
  privateKey: string;
  /** PEM certificate chain, sent as `x5c` for subject-name/issuer authentication. */
  x5c?: string;
}

export const CLIENT_CERTIFICATE_RULES: OptionRules = {
  thumbprint: { ...rules.nonEmptyString, aliases: ['thumbprintSha1', 'x5t'] },
  thumbprintSha256: { ...rules.nonEmptyString, aliases: ['x5tS256', 'sha256Thumbprint'] },
  privateKey: { ...rules.nonEmptyString, expected: 'a PEM private key string', required: true, aliases: ['key', 'privateKeyPem'] },
  x5c: { ...rules.nonEmptyString, expected: 'a PEM certificate chain string', aliases: ['certificate', 'chain'] },
};

/** What MSAL passes to a `clientAssertion` function: sign the assertion for this audience. */
export interface ClientAssertionContext {
  /** The app's client id: the assertion's `iss` and `sub`. */
  clientId: string;
  /** The token endpoint, the `aud` the assertion must carry (MSAL's type has it optional; msal-node 7 always sets it). */
  tokenEndpoint?: string;
}

/** What the device-code flow asks the user to do. */
export interface DeviceCodeInfo {
  /** The code the user types at `verificationUri`. */
  userCode: string;
  /** The page where the user enters the code, e.g. `https://microsoft.com/devicelogin`. */
  verificationUri: string;
  /** Ready-made instruction text from the server. */
  message: string;
  /** Seconds until the code expires; the token request then fails and must be started again. */
  expiresIn: number;
}

/**
 * Options of `new MsalNodeSession()`. They are validated when the session is created: an unknown
 * key, a wrong type or options that contradict each other (or the `flow`) throw a `TypeError`.
 */
export interface MsalNodeSessionOptions {
  /** The application (client) id of the app registration. Required. */
  clientId: string;
  /** Tenant id or domain, or `common` / `organizations` / `consumers` (default `common`). */
  tenantId?: string;
  /** Full authority URL; overrides `tenantId` and `cloud` (ADFS, B2C, a test provider). */
  authority?: string;
  /** National cloud of the sign-in host (default `global`). */
  cloud?: Cloud;
  /** Client secret of a confidential client; give at most one of `clientSecret`, `clientCertificate`, `clientAssertion`. */
  clientSecret?: string;
  /** Certificate credential of a confidential client, the stronger alternative to `clientSecret`. */
  clientCertificate?: ClientCertificate;
  /**
   * A signed client assertion (JWT), or a function MSAL calls before each token request for a fresh
   * one (a fixed string is sent as it is, until it expires; servers may refuse a reused `jti`).
   */
  clientAssertion?: string | ((context: ClientAssertionContext) => Promise<string>);
  /** Default: `credentials` with a client credential, else `interactive`. */
  flow?: MsalNodeFlow;
  /** Scopes to sign in with and to use when a request has none (default: Graph's `.default`). */
  scopes?: string[];
  /** Redirect URI of the `authorization` flow. */
  redirectUri?: string;
  /** Which cached account to use (and, for the `password` flow, who signs in). */
  username?: string;
  /** `password` flow only. Deprecated by Microsoft (no MFA); kept for migrations from python-o365. */
  password?: string;
  /** `on-behalf-of` flow: the access token your API received from its caller. */
  userAssertion?: string;
  /** `device` flow: show the user where to go and what to type (default: the message on stderr). */
  onDeviceCode?: (info: DeviceCodeInfo) => void;
  /** `interactive` flow: open this URL in a browser (default: the system browser). */
  openBrowser?: (url: string) => Promise<void>;
  /** Where MSAL's cache lives (default: a FileTokenStore in `~/.graphwire`). */
  tokenStore?: TokenStore;
  /** Key of the cache in the store (default `msal.<clientId>`). */
  cacheKey?: string;
  /** Proxy for token calls (and for `session.fetch`); see `createNodeFetch`. */
  proxy?: string | URL | false;
  /** Pass-through MSAL settings for sovereign clouds, ADFS, B2C and tests. */
  msal?: MsalPassThrough;
}

/**
 * MSAL settings passed through as they are, for authorities MSAL cannot discover on its own
 * (sovereign clouds, ADFS, B2C, a local test provider) and for MSAL's logging.
 */
export interface MsalPassThrough {
  /**
   * Used when the session has no `authority` option, so the `msal` settings of a test provider
   * (`@graphwire/testing`'s `idp.msal`) can be passed as they are.
   */
  authority?: string;
  /** Hosts MSAL may trust without instance discovery, e.g. a B2C or ADFS host name. */
  knownAuthorities?: string[];
  /** The authority's OpenID configuration as a JSON string, so MSAL does not fetch it. */
  authorityMetadata?: string;
  /** Instance-discovery metadata as a JSON string, so MSAL makes no discovery call. */
  cloudDiscoveryMetadata?: string;
  /** `OIDC` for an OpenID Connect provider other than Microsoft's; MSAL's default is `AAD`. */
  protocolMode?: 'AAD' | 'OIDC';
  /** Replaces the proxy-aware network client built from `proxy`. */
  networkClient?: INetworkModule;
  /** MSAL's own logger settings (callback, level, PII logging); without a callback MSAL's log goes nowhere. */
  loggerOptions?: NodeSystemOptions['loggerOptions'];
}

/** `proxy`: a URL (credentials allowed), or `false` for none. Shared with `createNodeFetch`. */
export const PROXY_RULE: OptionRule = {
  expected: 'a proxy URL (a string or a URL, e.g. http://user:password@proxy:3128) or false',
  test: (v) => v === false || rules.url.test(v),
};

export const MSAL_PASS_THROUGH_RULES: OptionRules = {
  authority: rules.nonEmptyString,
  knownAuthorities: rules.stringArray,
  authorityMetadata: rules.string,
  cloudDiscoveryMetadata: rules.string,
  protocolMode: oneOf('AAD', 'OIDC'),
  networkClient: {
    expected: 'an MSAL INetworkModule (an object with sendGetRequestAsync and sendPostRequestAsync methods)',
    test: (v) => typeof v === 'object' && v !== null
      && typeof (v as INetworkModule).sendGetRequestAsync === 'function' && typeof (v as INetworkModule).sendPostRequestAsync === 'function',
  },
  loggerOptions: rules.object,
};

/** Every key of MsalNodeSessionOptions: checked by the constructor before anything else. */
export const MSAL_NODE_SESSION_RULES: OptionRules = {
  clientId: { ...rules.nonEmptyString, aliases: ['client_id', 'appId', 'applicationId'] },
  tenantId: { ...rules.nonEmptyString, aliases: ['tenant', 'tenant_id'] },
  authority: { ...rules.nonEmptyString, aliases: ['authorityUrl', 'authorityHost'] },
  cloud: oneOf('global', 'usgov', 'dod', 'china'),
  clientSecret: { ...rules.nonEmptyString, aliases: ['secret', 'client_secret'] },
  clientCertificate: { ...rules.object, keys: CLIENT_CERTIFICATE_RULES, aliases: ['certificate'] },
  clientAssertion: either(rules.nonEmptyString, rules.function),
  flow: { ...oneOf(...FLOWS), aliases: ['auth_flow_type', 'authFlowType', 'flowType'] },
  scopes: { ...rules.scopes, aliases: ['scope', 'requested_scopes', 'requestedScopes'] },
  redirectUri: { ...rules.nonEmptyString, aliases: ['redirectUrl', 'redirect_uri'] },
  username: { ...rules.nonEmptyString, aliases: ['user', 'account', 'loginHint'] },
  password: rules.nonEmptyString,
  userAssertion: { ...rules.nonEmptyString, aliases: ['assertion', 'oboAssertion'] },
  onDeviceCode: { ...rules.function, aliases: ['deviceCodeCallback'] },
  openBrowser: rules.function,
  tokenStore: { ...rules.tokenStore, aliases: ['store', 'token_backend', 'tokenBackend', 'cache'] },
  cacheKey: rules.nonEmptyString,
  proxy: { ...PROXY_RULE, aliases: ['proxyUrl', 'proxy_server'] },
  msal: { ...rules.object, keys: MSAL_PASS_THROUGH_RULES },
};
