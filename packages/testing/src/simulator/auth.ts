import type { IncomingMessage } from 'node:http';
import { GRAPH_WWW_AUTHENTICATE } from './auth-challenge.js';
import { errorResponse, type SimResponse } from './sim-response.js';

/**
 * What a `validateToken` function (see {@link GraphSimulatorOptions.validateToken}) decides about
 * a bearer token: accepted, or refused with 401 `InvalidAuthenticationToken`.
 */
export type TokenCheck =
  | {
      /** `true`: the token is accepted and the request goes on to the throttle and the route. */
      valid: true;
      /** Who the token belongs to (e.g. the JWT's `sub`), for the validator's own use; the simulator ignores it. */
      subject?: string;
    }
  | {
      /** `false`: the request is refused with 401 `InvalidAuthenticationToken` and Graph's `WWW-Authenticate` challenge. */
      valid: false;
      /**
       * Why: `'expired'` defaults the error message to "Access token has expired or is not yet
       * valid.", `'invalid'` to "Access token validation failure. Invalid audience."
       */
      reason: 'invalid' | 'expired';
      /** The 401's `error.message`, replacing the default that `reason` picks. */
      message?: string;
    };

export type TokenValidator = (token: string, request: IncomingMessage) => TokenCheck | Promise<TokenCheck>;

const EXPIRED_MESSAGE = 'Access token has expired or is not yet valid.';
const INVALID_MESSAGE = 'Access token validation failure. Invalid audience.';

/**
 * Any non-empty bearer passes, except ones named to look expired or invalid, so tests need no real
 * JWTs; `undefined` and `null` fail too, because they are what a client bug puts in the header.
 */
export const defaultValidateToken: TokenValidator = (token) => {
  if (token === 'undefined' || token === 'null') return { valid: false, reason: 'invalid' };
  if (token.startsWith('expired')) return { valid: false, reason: 'expired' };
  if (token.startsWith('invalid')) return { valid: false, reason: 'invalid' };
  return { valid: true };
};

export interface AuthInput {
  token: string | undefined;
  request: IncomingMessage;
  revoked: ReadonlySet<string>;
  validate: TokenValidator;
}

/** A 401 (or a 500 if the validator itself throws) when the request may not proceed; undefined when it may. */
export async function authenticate({ token, request, revoked, validate }: AuthInput): Promise<SimResponse | undefined> {
  if (token === undefined) return unauthorized('Access token is empty.');
  // Revocation wins over any validator: it models the server-side kill switch a token cannot argue with.
  if (revoked.has(token)) return unauthorized(EXPIRED_MESSAGE);
  let check: TokenCheck;
  try {
    check = await validate(token, request);
  } catch (error) {
    return errorResponse(500, 'generalException', `validateToken threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (check.valid) return undefined;
  return unauthorized(check.message ?? (check.reason === 'expired' ? EXPIRED_MESSAGE : INVALID_MESSAGE));
}

function unauthorized(message: string): SimResponse {
  return errorResponse(401, 'InvalidAuthenticationToken', message, { 'www-authenticate': GRAPH_WWW_AUTHENTICATE });
}

/** The token of a well-formed `Authorization: Bearer <token>` header; anything else counts as no token. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S.*)$/i.exec(authorization?.trim() ?? '');
  return match?.[1]?.trim();
}
