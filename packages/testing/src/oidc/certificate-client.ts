import type { KoaContext, ProviderErrors } from 'oidc-provider';
import { JWT_BEARER_GRANT, PASSWORD_GRANT } from './extra-grants.js';
import { createTestCertificate, type TestCertificate } from './self-signed-certificate.js';
import { TEST_CLIENTS } from './test-clients.js';

/** The confidential client that authenticates with a certificate (`private_key_jwt`), and its key. */
export interface CertificateCredential {
  /** `TEST_CLIENTS.certificate.clientId`. */
  clientId: string;
  /** PKCS#8 PEM of the registered key: MSAL's `clientCertificate.privateKey`, or sign your own assertion. */
  privateKey: string;
  /** The self-signed certificate, PEM (MSAL's optional `clientCertificate.x5c`). */
  certificate: string;
  /** SHA-1 thumbprint of the certificate, upper-case hex, as the Azure portal lists it (MSAL's `clientCertificate.thumbprint`). */
  thumbprint: string;
  /** SHA-256 thumbprint of the certificate, upper-case hex (MSAL's `clientCertificate.thumbprintSha256`). */
  thumbprintSha256: string;
}

// RSA key generation costs ~100 ms (more on a busy machine): one certificate per process, shared by every provider.
let shared: Promise<TestCertificate> | undefined;
export function processCertificate(): Promise<TestCertificate> {
  shared ??= createTestCertificate();
  return shared;
}

export function certificateCredential(cert: TestCertificate): CertificateCredential {
  const { privateKey, certificate, thumbprint, thumbprintSha256 } = cert;
  return { clientId: TEST_CLIENTS.certificate.clientId, privateKey, certificate, thumbprint, thumbprintSha256 };
}

/**
 * oidc-provider metadata for the certificate client. The JWK carries no `alg` (MSAL signs PS256
 * with a SHA-256 thumbprint, RS256 with a SHA-1 one) and no `kid` (MSAL's assertion header has
 * none): oidc-provider then tries every RSA key of the client.
 */
export function certificateClientMetadata(cert: TestCertificate): Record<string, unknown> {
  const jwk = { ...cert.publicKey.export({ format: 'jwk' }), use: 'sig', x5c: [cert.der] };
  return {
    client_id: TEST_CLIENTS.certificate.clientId,
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token', PASSWORD_GRANT, JWT_BEARER_GRANT],
    response_types: ['code'],
    redirect_uris: [TEST_CLIENTS.certificate.redirectUri],
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: [jwk] },
  };
}

/**
 * What Azure AD checks beyond the signature: the assertion names its certificate by `x5t#S256`
 * (or the older SHA-1 `x5t`), and an `x5c` header, when sent, starts with that certificate.
 * oidc-provider's hook for extra client-assertion checks (`assertJwtClientAuthClaimsAndHeader`).
 */
export function assertCertificateHeader(cert: TestCertificate, errors: ProviderErrors) {
  const b64url = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
  return async (_ctx: KoaContext, _claims: Record<string, unknown>, header: Record<string, unknown>, client: { clientId: string }): Promise<void> => {
    if (client.clientId !== TEST_CLIENTS.certificate.clientId) return;
    const named = header['x5t#S256'] === b64url(cert.thumbprintSha256) || header.x5t === b64url(cert.thumbprint);
    if (!named) throw new errors.InvalidClientAuth('the assertion header names no registered certificate (x5t#S256 or x5t)');
    const x5c = header.x5c;
    if (x5c !== undefined && !(Array.isArray(x5c) && x5c[0] === cert.der)) {
      throw new errors.InvalidClientAuth('the x5c header does not start with the registered certificate');
    }
  };
}
