/** The challenge Graph sends with every 401, naming Graph's own app id as the resource. */
export const GRAPH_WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

/** A Continuous Access Evaluation challenge: the client must get a new token carrying these claims. */
export function claimsChallenge(claims: string): string {
  return `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(claims, 'utf8').toString('base64')}"`;
}

export const CLAIMS_CHALLENGE_MESSAGE =
  'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp';
