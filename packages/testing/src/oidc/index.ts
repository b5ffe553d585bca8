// @graphwire/testing — local OpenID provider for MSAL, and a JWKS check for the Graph simulator.
export { startOidcProvider } from './oidc-provider.js';
export type { OidcProvider, OidcProviderOptions, OidcProviderStats, MsalAuthorityConfig } from './oidc-provider.js';
export { jwksTokenValidator } from './jwks-token-validator.js';
export type { JwksTokenValidatorOptions, TokenValidation } from './jwks-token-validator.js';
export { signInAs } from './scripted-user.js';
export type { ScriptedUserOptions } from './scripted-user.js';
export { TEST_CLIENTS, TEST_USER_PASSWORD, GRAPH_RESOURCE, DEFAULT_API_SCOPES, testUsername } from './test-clients.js';
export type { CertificateCredential } from './certificate-client.js';
export { createTestCertificate } from './self-signed-certificate.js';
export type { TestCertificate } from './self-signed-certificate.js';
