// `con.fetch`: a standard fetch over the connection's authenticated pipeline (token to allowed hosts
// only, retries, 429 pause, pacing, refresh on 401), for libraries built on fetch such as Kiota's
// msgraph-sdk. It keeps fetch's contract: it resolves with the final Response whatever its status,
// and rejects only where fetch would, with what fetch would reject with.
import type { ResponsePromise } from 'ky';
import { isCallerAbort } from './caller-abort.js';
import type { RequestOptions } from './executor.js';
import { isKyNetworkError, isKyTimeoutError } from './ky-errors.js';

export type FetchSend = (method: string, url: string | URL, options: RequestOptions) => ResponsePromise;

// RequestInit members passed on as given; a Request's own are read from it (below).
const INIT_KEYS = ['redirect', 'credentials', 'cache', 'mode', 'referrer', 'referrerPolicy', 'integrity', 'keepalive', 'priority', 'window', 'dispatcher'] as const;

/** A `fetch` that sends through `send` (the connection's authenticated path); needs no `this`. */
export function createFetch(send: FetchSend): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = isRequest(input) ? input : undefined;
    const signal = init?.signal !== undefined ? init.signal : request?.signal;
    signal?.throwIfAborted(); // fetch rejects with the reason before anything else
    const options: Record<string, unknown> = { raiseHttpErrors: false };
    if (request) copyRequestMembers(request, options);
    if (init) {
      for (const key of INIT_KEYS) if ((init as Record<string, unknown>)[key] !== undefined) options[key] = (init as Record<string, unknown>)[key];
    }
    // As `new Request(input, init)` does: init's headers replace the Request's, they do not merge.
    const headers = init?.headers !== undefined ? init.headers : request?.headers;
    if (headers !== undefined) options.headers = headers;
    if (signal) options.signal = signal;
    const body = await readBody(init?.body !== undefined ? init.body : request?.body ? request : undefined);
    if (body !== undefined) options.body = body;
    const url = request ? request.url : (input as string | URL);
    const method = init?.method ?? request?.method ?? 'GET';
    try {
      return await send(method, url, options);
    } catch (error) {
      throw asFetchError(error, signal);
    }
  };
}

function isRequest(value: unknown): value is Request {
  return (typeof Request !== 'undefined' && value instanceof Request) || Object.prototype.toString.call(value) === '[object Request]';
}

/** A Request's members that change what is sent; its defaults are passed as harmlessly as fetch would. */
function copyRequestMembers(request: Request, options: Record<string, unknown>): void {
  options.redirect = request.redirect;
  options.credentials = request.credentials;
  options.cache = request.cache;
  if (request.mode !== 'navigate') options.mode = request.mode; // `navigate` cannot be set on a new Request
  options.referrerPolicy = request.referrerPolicy;
  if (request.integrity) options.integrity = request.integrity;
  if (request.keepalive) options.keepalive = true;
}

/**
 * A body that can be sent again (by a retry or a 401 replay): strings, buffers, Blob, FormData and
 * URLSearchParams as they are; a stream (a Request's, init's ReadableStream, or an async iterable
 * such as Node's `stream.Readable`, which Node's fetch sends as bytes) read once into an ArrayBuffer.
 * Anything else is what fetch makes of it: its string form.
 */
async function readBody(body: BodyInit | Request | null | undefined): Promise<BodyInit | null | undefined> {
  if (body === undefined || body === null) return body;
  if (isRequest(body)) return body.arrayBuffer(); // a used body rejects with fetch's TypeError
  if (typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body;
  if (typeof Blob !== 'undefined' && body instanceof Blob) return body;
  if (body instanceof URLSearchParams) return body;
  if (typeof FormData !== 'undefined' && body instanceof FormData) return body;
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return new Response(body).arrayBuffer();
  // Its bytes as the runtime's fetch reads them (Node: Buffers, Uint8Arrays, strings as UTF-8), no content type.
  if (typeof (body as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function') return new Response(body).arrayBuffer();
  return new Response(body).text(); // any other object: its string form, as fetch would send it
}

/**
 * What fetch rejects with: a network failure is a TypeError, the connection's per-attempt timeout a
 * DOMException named TimeoutError (as AbortSignal.timeout() gives), the caller's abort its reason.
 * Everything else (a TypeError for bad input, a GraphAuthError when no token could be had) as it is.
 */
function asFetchError(error: unknown, signal: AbortSignal | null | undefined): unknown {
  if (isCallerAbort(signal, error)) return error;
  if (isKyNetworkError(error)) {
    return error.cause instanceof TypeError ? error.cause : new TypeError('fetch failed', { cause: error });
  }
  if (isKyTimeoutError(error)) {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    Object.defineProperty(timeout, 'cause', { value: error, configurable: true, writable: true });
    return timeout;
  }
  return error;
}
