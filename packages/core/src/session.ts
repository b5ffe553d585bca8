/** A bearer token and when it stops being valid. */
export interface AccessToken {
  /** The bearer token, sent as `Authorization: Bearer <token>` to allowed hosts only. */
  token: string;
  /** Epoch milliseconds. */
  expiresOn: number;
}

/** What a Connection asks its session for: `getAccessToken(request)`. */
export interface TokenRequest {
  /** The scopes the token must carry: the connection's `scopes` (default `https://<graph host>/.default`). */
  scopes: string[];
  /** Skip any cache: the caller knows the current token is no good (revoked, or a claims challenge). */
  forceRefresh?: boolean;
  /** Claims requested by a `WWW-Authenticate` challenge (conditional access, CAE). */
  claims?: string;
  /** Stops the acquisition when aborted. A Connection sets none: its acquisitions are shared, and an aborting caller only stops waiting. */
  signal?: AbortSignal;
}

/**
 * The session manager: where tokens come from. Platform packages implement it over MSAL;
 * the core only ever asks for a token, so refresh policy (margin, single flight, retry after a 401)
 * lives in one place, the Connection.
 */
export interface AuthSession {
  /**
   * A token for `request.scopes`. The Connection keeps it in memory and asks again only near its
   * expiry (`refreshMargin`), with `forceRefresh`, or for a claims challenge; concurrent callers share one call.
   *
   * @returns A promise of the token; it should reject with a GraphAuthError when none can be acquired
   *   (any other rejection reaches callers wrapped in one).
   */
  getAccessToken(request: TokenRequest): Promise<AccessToken>;
  /**
   * Optional. A Connection subscribes here so the session can make it forget the token it keeps in
   * memory (after logout, or when the active account changes). Returns an unsubscribe function.
   */
  onInvalidate?(listener: () => void): () => void;
}
