// What a request rejects with: the caller's abort reason as is, a GraphError for an HTTP error,
// and ky's other errors without any credential in their URL.
import { type BeforeErrorState, type NetworkError, type TimeoutError, isHTTPError } from 'ky';
import { isCallerAbort } from './caller-abort.js';
import { GraphError } from './errors/graph-error.js';
import { isKyNetworkError, isKyTimeoutError } from './ky-errors.js';
import { redactUrl } from './redact.js';
import type { CallState } from './transport.js';
import { CALL } from './wire-request.js';

/** The transport's call state, and what only the executor reads: the caller's own signal. */
export interface Call extends CallState {
  callerSignal: AbortSignal | undefined;
}

/**
 * The caller's abort reason comes out as is (also when it fired while an error body downloaded,
 * which ky then reports as an HTTP error without a body); HTTP errors become GraphError; ky's other errors lose
 * any credential in their URL (message, stack, request).
 */
export function toPublicError({ request, error, options }: BeforeErrorState, connectionMaxRetryAfter: number): Error {
  if (isCallerAbort(request.signal, error)) return error;
  if (isHTTPError(error)) {
    const call = (options as { [CALL]?: Call })[CALL];
    // The managed signal fires for ky's own aborts too: the caller's says whose it was.
    const caller = call?.callerSignal;
    if (request.signal.aborted && caller?.aborted) {
      // ky replaces the error only with an Error a hook returns; any other reason (a string) is thrown.
      if (caller.reason instanceof Error) return caller.reason;
      throw caller.reason;
    }
    // The request's own policy (a per-call `retry`) bounds retryAfterMs, as it bounded the wait.
    const maxRetryAfter = call?.policy.maxRetryAfter ?? connectionMaxRetryAfter;
    const sent = call?.sent ?? request;
    return new GraphError({ method: sent.method, url: sent.url, response: error.response, body: error.data, maxRetryAfter });
  }
  if (isKyTimeoutError(error) || isKyNetworkError(error)) redactRequestUrl(error);
  return error;
}

function redactRequestUrl(error: TimeoutError | NetworkError): void {
  const { url, method } = error.request;
  const safe = redactUrl(url);
  if (safe === url) return;
  error.message = error.message.replaceAll(url, safe);
  if (error.stack) error.stack = error.stack.replaceAll(url, safe);
  Object.defineProperty(error, 'request', { value: new Request(safe, { method }), enumerable: true, configurable: true });
}
