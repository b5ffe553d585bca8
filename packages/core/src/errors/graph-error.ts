import { redactUrl } from '../redact.js';
import { DEFAULT_RETRY } from '../retry-policy.js';
import { parseRetryAfter } from '../retry-timing.js';
import { brand, hasBrand } from './brand.js';

const BRAND = 'graphwire.GraphError';
// A message is read in logs and consoles: each piece a server or caller controls is bounded, and so
// is the whole, whatever the response held. The properties keep everything as sent.
const MAX_MESSAGE = 500;
const MAX_METHOD = 20;
const MAX_URL = 200;
const MAX_CODE = 100;
const MAX_DETAIL = 300;
const MAX_REQUEST_ID = 100;

/** Graph's `error.innerError`: `date`, `request-id`, `client-request-id`, and service-specific fields. */
export type GraphInnerError = Record<string, unknown>;

export interface GraphErrorInit {
  method: string;
  url: string;
  response: Response;
  /** The response body: parsed JSON, raw text, or undefined when unreadable or too large. */
  body: unknown;
  /** Upper bound of `retryAfterMs` (the connection's `maxRetryAfter`). Default 3,600,000. */
  maxRetryAfter?: number;
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
    // An empty header carries no id: fall back to the body's.
    const requestId = headers.get('request-id') || stringField(inner, 'request-id');
    const clientRequestId = headers.get('client-request-id') || stringField(inner, 'client-request-id');
    const code = stringField(error, 'code');
    const url = redactUrl(init.url);
    const detail = stringField(error, 'message') ?? describeBody(init.body, headers.get('content-type'));
    const what = code ?? response.statusText;
    let message = `${clip(init.method, MAX_METHOD)} ${clip(url, MAX_URL)} failed: ${response.status}`;
    if (what) message += ` ${clip(what, MAX_CODE)}`;
    if (detail) message += `: ${clip(detail, MAX_DETAIL)}`;
    message = clip(message, MAX_MESSAGE); // before the request-id, so the id always shows
    if (requestId) message += ` (request-id ${clip(requestId, MAX_REQUEST_ID)})`;
    super(message);
    this.status = response.status;
    this.code = code;
    this.innerError = inner;
    this.requestId = requestId;
    this.clientRequestId = clientRequestId;
    this.date = parseDate(headers.get('date') ?? stringField(inner, 'date'));
    const retryAfter = parseRetryAfter(headers.get('retry-after'));
    const cap = init.maxRetryAfter !== undefined && init.maxRetryAfter >= 0 ? init.maxRetryAfter : DEFAULT_RETRY.maxRetryAfter;
    this.retryAfterMs = retryAfter === undefined ? undefined : Math.min(retryAfter, cap);
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

/** At most `max` characters, on one line: control characters (newlines, ANSI escapes) become spaces. */
function clip(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u001f\u007f]/g, ' ');
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
