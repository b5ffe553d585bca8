// The OAuth request handler: puts the current bearer token on each attempt (innermost, so a retry
// always carries the token of its own moment) and answers a rejected token with one refresh and one replay.
import { graphErrorCode } from './errors/graph-error.js';
import type { TokenRefresher } from './token-refresh.js';

/** Sends one HTTP exchange with the given Authorization value. */
export type SendOnce = (request: Request, authorization: string | undefined) => Promise<Response>;

export class OAuthRequest {
  readonly #tokens: TokenRefresher;

  constructor(tokens: TokenRefresher) {
    this.#tokens = tokens;
  }

  async send(request: Request, sendOnce: SendOnce): Promise<Response> {
    const { signal } = request;
    const token = this.#tokens.fresh() ?? (await this.#tokens.get({ signal })).token;
    // A body can be sent once: keep a copy in case the token is rejected and the request replayed.
    const spare = request.body ? request.clone() : undefined;
    const response = await sendOnce(request, `Bearer ${token}`);
    if (response.status !== 401) return response;

    const challenge = await readChallenge(response, signal);
    if (!challenge.refresh) return challenge.response;
    const next = await this.#tokens.afterRejection(token, challenge.claims, signal);
    return sendOnce(spare ?? request, `Bearer ${next}`);
  }
}

interface Challenge {
  refresh: boolean;
  claims: string | undefined;
  /** The 401 rebuilt from its read body, for ky to turn into a GraphError when not replayed. */
  response: Response;
}

/**
 * A 401 earns a refresh when Graph says the token is bad or asks for more claims (CAE, conditional
 * access). An unreadable body is read as empty, unless the request was aborted meanwhile (the
 * caller's deadline): that ends the request with the signal's reason.
 */
async function readChallenge(response: Response, signal: AbortSignal): Promise<Challenge> {
  const text = await response.text().catch((error: unknown) => {
    if (signal.aborted) throw signal.reason ?? error;
    return '';
  });
  const rebuilt = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  // A constructed Response has no URL: keep the real one (con.fetch callers read `response.url`).
  if (response.url) Object.defineProperty(rebuilt, 'url', { value: response.url, enumerable: true, configurable: true });
  const claims = parseClaims(response.headers.get('www-authenticate'));
  const code = graphErrorCode(text);
  return { refresh: claims !== undefined || code === 'InvalidAuthenticationToken', claims, response: rebuilt };
}

/** `WWW-Authenticate: Bearer …, error="insufficient_claims", claims="<base64 JSON>"` → the JSON. */
export function parseClaims(header: string | null): string | undefined {
  const match = header && /\bclaims="([^"]*)"/i.exec(header);
  if (!match?.[1]) return undefined;
  const raw = match[1];
  try {
    const decoded = atob(raw);
    return decoded.trimStart().startsWith('{') ? decoded : raw;
  } catch {
    return raw; // already plain JSON
  }
}
