import { brand, hasBrand } from './brand.js';

const BRAND = 'graphwire.GraphAuthError';

/** The details of `new GraphAuthError(message, options)`; each is optional. */
export interface GraphAuthErrorOptions {
  /** A stable machine-readable code, e.g. MSAL's `invalid_grant` or `interaction_required`. */
  errorCode?: string;
  /** True when only user interaction (sign-in, consent, MFA) can produce a token. */
  interactionRequired?: boolean;
  /** Claims from a challenge, to pass to the next acquisition. */
  claims?: string;
  /** The underlying failure (an MSAL error, a network error), kept as the error's `cause`. */
  cause?: unknown;
}

/** A token could not be acquired. Messages never carry tokens or secrets: callers build them from codes. */
export class GraphAuthError extends Error {
  /** Always `'GraphAuthError'`. */
  override readonly name = 'GraphAuthError';
  /** A stable machine-readable code, e.g. `'interaction_required'`, `'no_session'`. Default `'token_acquisition_failed'`. */
  readonly errorCode: string;
  /** True when only the user can fix it (sign-in, consent, MFA): start an interactive flow. */
  readonly interactionRequired: boolean;
  /** Claims from a challenge, to pass to the next acquisition; undefined when there were none. */
  readonly claims: string | undefined;

  constructor(message: string, options: GraphAuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.errorCode = options.errorCode ?? 'token_acquisition_failed';
    this.interactionRequired = options.interactionRequired ?? false;
    this.claims = options.claims;
    brand(this, BRAND);
  }
}

/** True for a GraphAuthError from any copy of graphwire, in any realm (iframe, worker, duplicate bundle). */
export function isGraphAuthError(value: unknown): value is GraphAuthError {
  return hasBrand(value, BRAND);
}
