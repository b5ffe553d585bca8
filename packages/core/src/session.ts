/** A bearer token and when it stops being valid. */
export interface AccessToken {
  token: string;
  /** Epoch milliseconds. */
  expiresOn: number;
}

export interface TokenRequest {
  scopes: string[];
  /** Skip any cache: the caller knows the current token is no good (revoked, or a claims challenge). */
  forceRefresh?: boolean;
  /** Claims requested by a `WWW-Authenticate` challenge (conditional access, CAE). */
  claims?: string;
  signal?: AbortSignal;
}

/**
 * The session manager: where tokens come from. Platform packages implement it over MSAL;
 * the core only ever asks for a token, so refresh policy lives in one place (token-refresh.ts).
 */
export interface AuthSession {
  getAccessToken(request: TokenRequest): Promise<AccessToken>;
  /**
   * Optional. A Connection subscribes here so the session can make it forget the token it keeps in
   * memory (after logout, or when the active account changes). Returns an unsubscribe function.
   */
  onInvalidate?(listener: () => void): () => void;
}
