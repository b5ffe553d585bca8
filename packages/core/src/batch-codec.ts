// `$batch` wire format: requests as Graph's JSON batching expects them (JSON bodies as JSON, bytes
// as base64 with their content type), and sub-responses back into results with a GraphError each.
import { fromBase64, toBase64 } from './base64.js';
import type { PlannedItem } from './batch-plan.js';
import { GraphError } from './errors/graph-error.js';

/** One result of `con.batch`, in input order. */
export interface BatchResponse<T = unknown> {
  /** The request's id: the one given, or the one assigned ('1', '2', …). */
  id: string;
  /** The sub-response's HTTP status (a `$batch` call that failed as a whole gives its own status to its items). */
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** JSON as parsed; a binary body as Uint8Array; undefined when there is none. */
  body: T | Uint8Array | undefined;
  /** For a status of 400 or more: status, Graph's code and message, request-id. */
  error?: GraphError;
}

export interface WireRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export interface WireResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const isJsonType = (type: string | undefined) => type === undefined || /[/+]json\b/i.test(type);

/** An item's headers and body in wire form; computed once per item (a Blob is read only once). */
export async function encodeBody(item: PlannedItem): Promise<Pick<WireRequest, 'headers' | 'body'>> {
  const headers = { ...item.headers };
  const { body } = item;
  if (body === undefined || body === null) return Object.keys(headers).length > 0 ? { headers } : {};
  const bytes = await asBytes(body, headers['content-type']);
  // Bytes declared as JSON (already serialised) travel as the JSON value they hold.
  const json = bytes && isJsonType(headers['content-type']) && headers['content-type'] !== undefined ? parseJson(bytes) : undefined;
  if (json !== undefined) return { headers, body: json };
  if (bytes) {
    headers['content-type'] ??= (typeof Blob !== 'undefined' && body instanceof Blob && body.type) || 'application/octet-stream';
    return { headers, body: toBase64(bytes) };
  }
  headers['content-type'] ??= 'application/json';
  return { headers, body };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined; // not JSON after all: sent base64 as it is
  }
}

async function asBytes(body: unknown, contentType: string | undefined): Promise<Uint8Array | undefined> {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof Blob !== 'undefined' && body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  // A string declared as something other than JSON is raw text, which Graph takes base64 too.
  if (typeof body === 'string' && !isJsonType(contentType)) return new TextEncoder().encode(body);
  return undefined;
}

export function decodeResponse<T>(item: PlannedItem, wire: WireResponse, maxRetryAfter: number): BatchResponse<T> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(wire.headers ?? {})) headers[name.toLowerCase()] = String(value);
  let body = wire.body as T | Uint8Array | undefined;
  if (typeof body === 'string' && !isJsonType(headers['content-type'])) body = fromBase64(body) ?? body;
  const result: BatchResponse<T> = { id: item.id, status: wire.status, headers, body };
  if (wire.status >= 400) result.error = itemError(item, wire.status, headers, body, maxRetryAfter);
  return result;
}

/** The GraphError of a failed item, built as for a direct request (request-id from its headers or innerError). */
export function itemError(item: PlannedItem, status: number, headers: Record<string, string>, body: unknown, maxRetryAfter: number): GraphError {
  let response: Response;
  try {
    response = new Response(null, { status: status >= 200 && status <= 599 ? status : 500, headers });
  } catch {
    response = new Response(null, { status: 500 });
  }
  return new GraphError({ method: item.method, url: item.absoluteUrl, response, body, maxRetryAfter });
}

/** A sub-response header, whatever case Graph gave its name. */
export function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return String(value);
  return undefined;
}
