/**
 * What a route or a fault decides to send. Kept apart from node:http so routes stay pure and a
 * scripted fault can run a handler for its side effects and throw its answer away.
 */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised with Graph's JSON content type. */
  json?: unknown;
  /** Rendered as Graph's error body, with this request's ids and date filled in at send time. */
  error?: { code: string; message: string };
  /** Sent byte for byte (HTML, empty, truncated or huge bodies). */
  raw?: { body: string | Uint8Array; contentType?: string };
}

export function jsonResponse(status: number, json: unknown, headers?: Record<string, string>): SimResponse {
  return { status, json, headers };
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): SimResponse {
  return { status, error: { code, message }, headers };
}

export function emptyResponse(status: number, headers?: Record<string, string>): SimResponse {
  return { status, headers };
}
