import { redactUrl } from '../redact.js';
import { parseRetryAfter } from '../retry-timing.js';
import { brand, hasBrand } from './brand.js';

const BRAND = 'graphwire.GraphError';
const MAX_MESSAGE = 500;

/** Graph's `error.innerError`: `date`, `request-id`, `client-request-id`, and service-specific fields. */
export type GraphInnerError = Record<string, unknown>;

export interface GraphErrorInit {
  method: string;
  url: string;
  response: Response;
  /** The response body: parsed JSON, raw text, or undefined when unreadable or too large. */
  body: unknown;
}

/** An HTTP error from Graph (or any server called through a Connection), with Graph's error fields parsed. */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  readonly status: number;
  readonly code: string | undefined;
  readonly innerError: GraphInnerError | undefined;
  readonly requestId: string | undefined;
  readonly clientRequestId: string | undefined;
  readonly date: Date | undefined;
  readonly retryAfterMs: number | undefined;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  readonly response: Response;

  constructor(init: GraphErrorInit) {
    const { response } = init;
    const body = parseMaybeJson(init.body);
    const error = graphErrorObject(body);
    const inner = asRecord(error?.innerError ?? error?.innererror);
    const headers = response.headers;
    const requestId = headers.get('request-id') ?? stringField(inner, 'request-id');
    const clientRequestId = headers.get('client-request-id') ?? stringField(inner, 'client-request-id');
    const code = stringField(error, 'code');
    const url = redactUrl(init.url);
    const detail = stringField(error, 'message') ?? describeBody(init.body, headers.get('content-type'));
    const what = code ?? response.statusText;
    let message = `${init.method} ${url} failed: ${response.status}${what ? ` ${what}` : ''}${detail ? `: ${detail}` : ''}`;
    if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE - 1)}…`;
    if (requestId) message += ` (request-id ${requestId})`;
    super(message);
    this.status = response.status;
    this.code = code;
    this.innerError = inner;
    this.requestId = requestId;
    this.clientRequestId = clientRequestId;
    this.date = parseDate(headers.get('date') ?? stringField(inner, 'date'));
    this.retryAfterMs = parseRetryAfter(headers.get('retry-after'));
    this.method = init.method;
    this.url = url;
    this.body = body;
    // After a redirect the response's own URL may carry a credential (a SharePoint `tempauth`):
    // keep status and headers, drop the URL. The body was already read into `body`.
    this.response = redactUrl(response.url) === response.url
      ? response
      : new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
    brand(this, BRAND);
  }
}

/** True for a GraphError from any copy of graphwire, in any realm. */
export function isGraphError(value: unknown): value is GraphError {
  return hasBrand(value, BRAND);
}

/** Graph's `error.code` from a body (parsed JSON or text); undefined for anything else. */
export function graphErrorCode(body: unknown): string | undefined {
  return stringField(graphErrorObject(parseMaybeJson(body)), 'code');
}

function parseMaybeJson(body: unknown): unknown {
  if (typeof body !== 'string' || !/^\s*[{[]/.test(body)) return body;
  try {
    return JSON.parse(body);
  } catch {
    return body; // truncated or not JSON after all: keep the text
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function graphErrorObject(body: unknown): Record<string, unknown> | undefined {
  return asRecord(asRecord(body)?.error);
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function describeBody(body: unknown, contentType: string | null): string | undefined {
  if (body === undefined || body === '') return undefined;
  const type = contentType?.split(';')[0]?.trim() || 'unknown type';
  const size = typeof body === 'string' ? `${body.length} characters` : 'unparsed';
  return `unexpected error body (${type}, ${size})`;
}

function parseDate(value: string | undefined | null): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
