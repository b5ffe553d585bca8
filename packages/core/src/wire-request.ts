// How an exchange is handed to fetch. Its headers are ky's plus the request's identity and the
// token, put on here rather than through ky's options: most requests then give ky no headers at
// all, which spares it three Headers objects per request, and ky (and its hooks) never hold the token.
import { randomUUID } from './random-uuid.js';
import { VERSION } from './version.js';

const SDK_VERSION = `graphwire/${VERSION}`;
/** The option the call state rides in through ky (ky forwards unknown options to fetch). */
export const CALL = 'graphwireCall';

export interface RequestIdentity {
  /** The client-request-id all attempts share: made at the first one, unless the caller gave one. */
  requestId: string | undefined;
}

/** ky's headers plus the request's identity; `graph`: the exchange goes to a Graph host (SdkVersion); the token, where allowed. */
export function wireHeaders(kyHeaders: Headers, identity: RequestIdentity, graph: boolean, authorization: string | undefined): Headers {
  const headers = new Headers(kyHeaders);
  if (!headers.has('client-request-id')) headers.set('client-request-id', (identity.requestId ??= randomUUID()));
  // A library's own SdkVersion (Kiota's msgraph-sdk over con.fetch) follows graphwire's.
  if (graph) {
    const theirs = headers.get('sdkversion');
    headers.set('sdkversion', theirs ? `${SDK_VERSION}, ${theirs}` : SDK_VERSION);
  }
  if (authorization) headers.set('authorization', authorization);
  return headers;
}

/**
 * Body-less requests are re-issued from their parts: cheaper than fetch(Request) and just as
 * faithful. What ky passed besides the Request (`dispatcher`, `priority`) goes with either form.
 */
export function sendOnWire(
  fetch: typeof globalThis.fetch, request: Request, headers: Headers, signal: AbortSignal, extras: Record<string, unknown> | undefined,
): Promise<Response> {
  if (request.body) return fetch(request, withExtras({ headers, signal }, extras));
  const init: RequestInit = {
    method: request.method, headers, signal, redirect: request.redirect, credentials: request.credentials,
    cache: request.cache, mode: request.mode, referrerPolicy: request.referrerPolicy, keepalive: request.keepalive,
  };
  if (request.integrity) init.integrity = request.integrity;
  // `about:client` is the default; `''` (no referrer) and a URL were asked for.
  if (request.referrer !== 'about:client') init.referrer = request.referrer;
  return fetch(request.url, withExtras(init, extras));
}

/** Adds ky's fetch-only options (not the call state) to `init`: a loop over its one or two keys, no allocation. */
function withExtras(init: RequestInit, extras: Record<string, unknown> | undefined): RequestInit {
  for (const key in extras) {
    if (key !== CALL && extras[key] !== undefined) (init as Record<string, unknown>)[key] = extras[key];
  }
  return init;
}
