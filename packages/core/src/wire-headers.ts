// The headers an exchange goes out with: ky's, plus the request's identity and the token. They go
// on at the wire, not through ky's options: most requests then give ky no headers at all, which
// spares it three Headers objects per request, and ky (and its hooks) never hold the token.
import { randomUUID } from './random-uuid.js';
import { VERSION } from './version.js';

const SDK_VERSION = `graphwire/${VERSION}`;

export interface RequestIdentity {
  /** A Graph host: SdkVersion goes with the request. */
  sdkVersion: boolean;
  /** The client-request-id all attempts share: made at the first one, unless the caller gave one. */
  requestId: string | undefined;
}

export function wireHeaders(kyHeaders: Headers, identity: RequestIdentity, authorization: string | undefined): Headers {
  const headers = new Headers(kyHeaders);
  if (!headers.has('client-request-id')) headers.set('client-request-id', (identity.requestId ??= randomUUID()));
  // A library's own SdkVersion (Kiota's msgraph-sdk over con.fetch) follows graphwire's.
  if (identity.sdkVersion) {
    const theirs = headers.get('sdkversion');
    headers.set('sdkversion', theirs ? `${SDK_VERSION}, ${theirs}` : SDK_VERSION);
  }
  if (authorization) headers.set('authorization', authorization);
  return headers;
}
