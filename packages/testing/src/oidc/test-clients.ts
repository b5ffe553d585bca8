/** The OAuth clients every local provider registers; tests and examples sign in with these. */
export const TEST_CLIENTS = {
  /** A web app / daemon: client secret, client credentials, auth code, password, on-behalf-of. */
  confidential: {
    /** Its `client_id`. */
    clientId: 'graphwire-confidential',
    /** Its client secret, sent in the token request's body (`client_secret_post`). */
    clientSecret: 'graphwire-test-secret-0123456789',
    /** Its one registered redirect URI, for the authorization code flow. */
    redirectUri: 'http://localhost:3999/redirect',
  },
  /**
   * A web app / daemon that signs in with a certificate (`private_key_jwt`): its key and self-signed
   * certificate are made when the provider starts, see `OidcProvider.certificate`.
   */
  certificate: {
    /** Its `client_id`. */
    clientId: 'graphwire-certificate',
    /** Its one registered redirect URI, for the authorization code flow. */
    redirectUri: 'http://localhost:3999/redirect',
  },
  /** A CLI / desktop app: no secret, PKCE, device code, loopback redirect on any port, password. */
  public: {
    /** Its `client_id`. */
    clientId: 'graphwire-public',
    /** A registered redirect URI; `http://localhost` on any port (MSAL's loopback redirect) is accepted too. */
    redirectUri: 'http://localhost:3999/redirect',
  },
} as const;

/** The only password the provider's password grant accepts (for any user name). */
export const TEST_USER_PASSWORD = 'graphwire-test-password';

/** The audience of every access token the provider issues, so Graph-style scopes work unchanged. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/** Scopes granted besides the OpenID ones; unlisted scopes are dropped silently by oidc-provider. */
export const DEFAULT_API_SCOPES = [
  'User.Read', 'User.ReadWrite', 'Mail.Read', 'Mail.Send', 'Files.Read', 'Files.ReadWrite', 'Calendars.Read',
] as const;

/** User names look like `alice@example.test`; the account id (JWT `sub`) is the part before `@`. */
export function testUsername(accountId: string): string {
  return `${accountId}@example.test`;
}
