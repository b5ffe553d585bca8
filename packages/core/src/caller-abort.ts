/**
 * The caller's own abort: the request's signal fired and this is its reason. Recognised before any
 * classification, because a reason may look like one of ky's errors: AbortSignal.timeout()'s
 * DOMException is named `TimeoutError` too, and ky's guards match by name.
 */
export function isCallerAbort(signal: AbortSignal | null | undefined, error: unknown): boolean {
  return signal?.aborted === true && error === signal.reason;
}
