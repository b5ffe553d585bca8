// The caller's ky `beforeRetry` hooks, run by the transport: ky's own retry machinery is off (it
// clones every Request in advance, for a retry that rarely comes), so the transport, which decides
// every retry, calls them with ky's state and honours ky's answers.
import ky, { type BeforeRetryHook, type BeforeRetryState, ForceRetryError, NetworkError } from 'ky';

/** What the hooks decided: go on (with another Request if one was returned), answer with a Response, or stop retrying. */
export type RetryDecision = { request?: Request; response?: Response; stop?: true };

export async function runBeforeRetry(
  hooks: readonly BeforeRetryHook[], request: Request, options: BeforeRetryState['options'], error: Error, retryCount: number,
): Promise<RetryDecision> {
  for (const hook of hooks) {
    const result = await hook({ request, options, error, retryCount });
    if (result === ky.stop) return { stop: true };
    if (result instanceof Response) return { response: result };
    // As in ky: a returned Request is used as it is, and ends the chain.
    if (result instanceof Request) return { request: result };
  }
  return {};
}

/**
 * The error a hook is shown, as ky showed it: a ForceRetryError for a retried status (`code`
 * `HTTP_503`), ky's NetworkError for a failed connection, the TimeoutError of a timed-out attempt.
 */
export function hookError(request: Request, outcome: { status: number } | Error, delay: number): Error {
  if (!(outcome instanceof Error)) return new ForceRetryError({ delay, code: `HTTP_${outcome.status}` });
  if (outcome.name === 'TypeError') return new NetworkError(request, { cause: outcome });
  return outcome;
}
