import { CLAIMS_CHALLENGE_MESSAGE, GRAPH_WWW_AUTHENTICATE, claimsChallenge } from './auth-challenge.js';
import type { Fault } from './fault.js';
import { defaultErrorMessage, errorCodeForStatus } from './graph-error-body.js';
import type { SimResponse } from './sim-response.js';

/** What a fault does once its latency has passed. */
export type FaultAction =
  | { kind: 'reset'; execute: boolean }
  | { kind: 'respond'; execute: boolean; response: SimResponse }
  /** No response of its own: the normal behaviour runs, with these extra headers. */
  | { kind: 'pass'; headers: Record<string, string> };

export function faultAction(fault: Fault): FaultAction {
  if (fault.reset) return { kind: 'reset', execute: fault.execute ?? false };
  if (fault.redirect !== undefined) {
    const headers = { location: fault.redirect, ...lower(fault.headers) };
    return { kind: 'respond', execute: fault.execute ?? false, response: { status: fault.redirectStatus ?? 302, headers } };
  }
  if (fault.status === undefined && fault.claims === undefined && fault.body === undefined) {
    return { kind: 'pass', headers: lower(fault.headers) };
  }
  const status = fault.status ?? (fault.claims !== undefined ? 401 : 200);
  return { kind: 'respond', execute: fault.execute ?? status < 400, response: faultResponse(fault, status) };
}

function faultResponse(fault: Fault, status: number): SimResponse {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  if (fault.claims !== undefined) headers['www-authenticate'] = claimsChallenge(fault.claims);
  else if (status === 401) headers['www-authenticate'] = GRAPH_WWW_AUTHENTICATE;
  Object.assign(headers, lower(fault.headers));

  if (fault.body !== undefined) {
    const raw = fault.contentType === undefined ? { body: fault.body } : { body: fault.body, contentType: fault.contentType };
    return { status, headers, raw };
  }
  if (status < 400) return { status, headers };
  const code = fault.code ?? errorCodeForStatus(status);
  const message =
    fault.message ?? (fault.claims !== undefined ? CLAIMS_CHALLENGE_MESSAGE : defaultErrorMessage(code, status));
  return { status, headers, error: { code, message } };
}

// Header names are case-insensitive; lower-casing lets a script's header replace a generated one.
function lower(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}
