import { GRAPH_JSON_CONTENT_TYPE, graphErrorBody, type GraphErrorIds } from '../graph-error-body.js';
import type { SimResponse } from '../sim-response.js';

/** One entry of a `$batch` response's `responses` array. */
export interface BatchResponseItem {
  /** The `id` of the request item this answers; match responses by it, not by position. */
  id: string;
  /** The item's HTTP status, e.g. 200, 429, or 424 for a failed dependency. */
  status: number;
  /** The item's response headers, cased as Graph sends them (`Content-Type`, `Retry-After`, `Location`). */
  headers: Record<string, string>;
  /**
   * A JSON body (Graph error bodies included) as a JSON value; any other body as a base64 string,
   * its type in `headers['Content-Type']`. Absent when the item has no body.
   */
  body?: unknown;
}

/**
 * Renders what a route or fault decided as Graph renders a batch item: JSON bodies as JSON values,
 * anything else (a photo `$value`, file content, a scripted HTML body) as base64 with its
 * Content-Type. Header names are cased as Graph sends them (`Content-Type`, `Retry-After`), so a
 * client that reads item headers case-sensitively in lower case fails here as it would on Graph.
 */
export function batchResponseItem(id: string, result: SimResponse, ids: GraphErrorIds): BatchResponseItem {
  const headers: Record<string, string> = {};
  let body: unknown;
  let contentType: string | undefined;
  if (result.error) {
    contentType = GRAPH_JSON_CONTENT_TYPE;
    body = JSON.parse(graphErrorBody(result.error.code, result.error.message, ids));
  } else if (result.json !== undefined) {
    contentType = GRAPH_JSON_CONTENT_TYPE;
    body = result.json;
  } else if (result.raw && result.raw.body.length > 0) {
    contentType = result.raw.contentType ?? 'application/octet-stream';
    body = rawBody(result.raw.body, contentType);
  }
  if (contentType !== undefined) headers['content-type'] = contentType;
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    // Per-message headers of the outer HTTP response make no sense on an item.
    if (name !== 'content-length') headers[name.toLowerCase()] = value;
  }
  const cased = Object.fromEntries(Object.entries(headers).map(([name, value]) => [graphHeaderName(name), value]));
  const item: BatchResponseItem = { id, status: result.status, headers: cased };
  if (body !== undefined) item.body = body;
  return item;
}

function rawBody(body: string | Uint8Array, contentType: string): unknown {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  if (isJsonContentType(contentType)) {
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch {
      // Truncated or broken "JSON": the client gets the bytes it would have got, as base64.
    }
  }
  return bytes.toString('base64');
}

export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType === undefined || /^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim());
}

const SPECIAL_NAMES: Record<string, string> = {
  'www-authenticate': 'WWW-Authenticate',
  'odata-version': 'OData-Version',
  etag: 'ETag',
};

function graphHeaderName(name: string): string {
  return SPECIAL_NAMES[name] ?? name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}
