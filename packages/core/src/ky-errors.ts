// ky's guards match by name (for other realms), so any error named `TimeoutError` or `NetworkError`
// passes them: AbortSignal.timeout()'s DOMException, or a caller's own abort reason. Only errors that
// ky or the transport made carry the `request` the retry policy and redaction read.
import { type NetworkError, type TimeoutError, isNetworkError, isTimeoutError } from 'ky';

/** A per-attempt timeout from ky or the transport, with its request. */
export function isKyTimeoutError(error: unknown): error is TimeoutError {
  return isTimeoutError(error) && hasRequest(error);
}

/** A failed connection, wrapped by ky with its request. */
export function isKyNetworkError(error: unknown): error is NetworkError {
  return isNetworkError(error) && hasRequest(error);
}

function hasRequest(error: object): boolean {
  const { request } = error as { request?: unknown };
  return typeof request === 'object' && request !== null;
}
