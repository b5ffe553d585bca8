import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsHeaders } from './cors.js';
import { GRAPH_JSON_CONTENT_TYPE, graphErrorBody } from './graph-error-body.js';
import type { SimResponse } from './sim-response.js';

export interface ResponseIds {
  requestId: string;
  clientRequestId: string;
}

/**
 * Writes a SimResponse with the headers Graph puts on every response. Header names are lower-case
 * throughout, so a script's header replaces a generated one instead of doubling it. Node adds `Date`.
 */
export function sendResponse(
  request: IncomingMessage,
  response: ServerResponse,
  result: SimResponse,
  ids: ResponseIds,
  extraHeaders: Record<string, string> = {},
): void {
  const headers: Record<string, string> = {
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId,
    ...corsHeaders(request),
  };
  let body: string | Uint8Array = '';
  if (result.error) {
    headers['content-type'] = GRAPH_JSON_CONTENT_TYPE;
    body = graphErrorBody(result.error.code, result.error.message, { ...ids, now: new Date() });
  } else if (result.raw) {
    if (result.raw.contentType !== undefined) headers['content-type'] = result.raw.contentType;
    body = result.raw.body;
  } else if (result.json !== undefined) {
    headers['content-type'] = GRAPH_JSON_CONTENT_TYPE;
    body = JSON.stringify(result.json);
  }
  Object.assign(headers, result.headers, extraHeaders);
  const bodyless = result.status === 204 || result.status === 304;
  if (!bodyless && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(body));
  response.writeHead(result.status, headers);
  response.end(bodyless ? undefined : body);
}
