import { brand, hasBrand } from './brand.js';

const BRAND = 'graphwire.GraphAuthError';

export interface GraphAuthErrorOptions {
  /** A stable machine-readable code, e.g. MSAL's `invalid_grant` or `interaction_required`. */
  errorCode?: string;
  /** True when only user interaction (sign-in, consent, MFA) can produce a token. */
  interactionRequired?: boolean;
  /** Claims from a challenge, to pass to the next acquisition. */
  claims?: string;
  cause?: unknown;
}

/** A token could not be acquired. Messages never carry tokens or secrets: callers build them from codes. */
export class GraphAuthError extends Error {
  override readonly name = 'GraphAuthError';
  readonly errorCode: string;
  readonly interactionRequired: boolean;
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
