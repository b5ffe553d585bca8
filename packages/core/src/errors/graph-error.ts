import { redactUrl } from '../redact.js';
import { DEFAULT_RETRY } from '../retry-policy.js';
import { parseHttpDate, parseRetryAfter } from '../retry-timing.js';
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

/** What `new GraphError(init)` is built from: the request and the server's error response. */
export interface GraphErrorInit {
  /** The request's HTTP method. */
  method: string;
  /** The request URL; stored and quoted with credentials in its query redacted. */
  url: string;
  /** The error response: status, headers (request-id, Retry-After, Date). Its body is not read: pass it as `body`. */
  response: Response;
  /** The response body: parsed JSON, raw text, or undefined when unreadable or too large. */
  body: unknown;
  /** Upper bound of `retryAfterMs` (the connection's `maxRetryAfter`). Default 3,600,000. */
  maxRetryAfter?: number;
}

/** An HTTP error from Graph (or any server called through a Connection), with Graph's error fields parsed. */
export class GraphError extends Error {
  /** Always `'GraphError'`. */
  override readonly name = 'GraphError';
  /** The HTTP status, e.g. 404. */
  readonly status: number;
  /** Graph's `error.code`, e.g. `'itemNotFound'`; undefined when the body has none. */
  readonly code: string | undefined;
  /** Graph's `error.innerError`, as sent. */
  readonly innerError: GraphInnerError | undefined;
  /** Graph's `request-id`, from the response header or else the innerError: quote it in support cases. */
  readonly requestId: string | undefined;
  /** The `client-request-id` as the server echoed it (header, else innerError); graphwire sends one per request, the same across retries. */
  readonly clientRequestId: string | undefined;
  /** When the server answered: the `Date` header, else the innerError's `date` (UTC). */
  readonly date: Date | undefined;
  /** The response's Retry-After in ms, capped at `maxRetryAfter`; undefined when it had none or a malformed one. */
  readonly retryAfterMs: number | undefined;
  /** The request's HTTP method. */
  readonly method: string;
  /** The request URL, with credentials in its query redacted. */
  readonly url: string;
  /** The response body: parsed JSON, else text; undefined when unreadable or too large. */
  readonly body: unknown;
  /** The Response (its body already read); without its URL when that carried a credential. */
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
    this.date = toDate(parseHttpDate(headers.get('date')?.trim() ?? '') ?? parseIsoDate(stringField(inner, 'date')));
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

// What must not reach a log line as is: C0 and C1 controls (newlines, ANSI escapes), DEL, line and
// paragraph separators, and bidirectional marks and overrides (which reorder what a reader sees).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
// A surrogate without its partner (a server's broken text) is not a character.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** At most `max` characters, on one line, in reading order: unsafe characters become spaces. */
function clip(text: string, max: number): string {
  let cut = text;
  if (text.length > max) {
    let end = max - 1;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1; // never half of a surrogate pair
    cut = `${text.slice(0, end)}…`;
  }
  return cut.replace(UNSAFE, ' ').replace(LONE_SURROGATE, '\ufffd');
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

function toDate(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms);
}

// Graph's innerError.date: ISO 8601, usually without a zone ("2026-11-28T10:00:00"), meaning UTC.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-](\d{2}):(\d{2}))?$/;

/** Strict: `Date.parse` accepts February 31st and reads a zone-less time as local time. */
function parseIsoDate(text: string | undefined): number | undefined {
  const m = text === undefined ? null : ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const offsetHours = m[9] ? Number(m[9]) : 0;
  const offsetMinutes = m[10] ? Number(m[10]) : 0;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // Date.UTC would read years 0-99 as 1900-1999
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined; // 2026-02-31
  date.setUTCHours(hour, minute, second, ms);
  const sign = m[8]?.startsWith('-') ? -1 : 1;
  return date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}
