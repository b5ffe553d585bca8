// Client certificate and client assertion, end to end: MSAL signs (or the caller signs) a
// private_key_jwt assertion, the local provider checks it against the registered certificate,
// and the Graph simulator accepts the token that comes back.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Connection, MemoryTokenStore } from '@graphwire/core';
import { FetchNetworkClient, MsalNodeSession, type ClientAssertionContext, type MsalNodeSessionOptions } from '@graphwire/msal-node';
import { createTestCertificate, localMsal, startRig, TEST_CLIENTS, type Rig } from './helpers.js';

const GRAPH_DEFAULT = ['https://graph.microsoft.com/.default'];
const clientId = TEST_CLIENTS.certificate.clientId;

let rig: Rig;
beforeAll(async () => { rig = await startRig(); });
afterAll(() => rig.close());
afterEach(() => { rig.subjects.length = 0; rig.idp.resetStats(); });

/** A session for the certificate client whose token calls record the client assertions MSAL posts. */
function certSession(extra: Partial<MsalNodeSessionOptions>) {
  const assertions: string[] = [];
  const local = localMsal(rig.idp);
  const networkClient = new FetchNetworkClient(async (input, init) => {
    const assertion = new URLSearchParams(typeof init?.body === 'string' ? init.body : '').get('client_assertion');
    if (assertion) assertions.push(assertion);
    return fetch(input, init);
  });
  const session = new MsalNodeSession({ clientId, tokenStore: new MemoryTokenStore(), ...local, msal: { ...local.msal, networkClient }, ...extra });
  return { session, assertions, con: new Connection({ session, baseUrl: `${rig.graph.url}/v1.0`, retries: 0 }) };
}

const b64url = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as Error & { errorCode: string });

describe('clientCertificate', () => {
  it('thumbprintSha256: MSAL signs a PS256 assertion naming the certificate by x5t#S256; Graph accepts the token', async () => {
    const { privateKey, thumbprintSha256 } = rig.idp.certificate;
    const { session, con, assertions } = certSession({ clientCertificate: { thumbprintSha256, privateKey } });
    expect(session.flow).toBe('credentials');
    await con.get('users').json();
    expect(rig.subjects).toEqual([clientId]);
    expect(rig.idp.stats.tokensIssued).toEqual({ client_credentials: 1 });
    expect(assertions).toHaveLength(1);
    // What MSAL 7 sends: no kid, so the provider must find the key without one.
    expect(decodeProtectedHeader(assertions[0] ?? '')).toEqual({ alg: 'PS256', typ: 'JWT', 'x5t#S256': b64url(thumbprintSha256) });
  });

  it('SHA-1 thumbprint with x5c: RS256, x5t and the certificate chain in the header', async () => {
    const { privateKey, thumbprint, certificate } = rig.idp.certificate;
    const { con, assertions } = certSession({ clientCertificate: { thumbprint, privateKey, x5c: certificate } });
    await con.get('users').json();
    expect(rig.subjects).toEqual([clientId]);
    const header = decodeProtectedHeader(assertions[0] ?? '');
    expect(header).toMatchObject({ alg: 'RS256', x5t: b64url(thumbprint) });
    expect(header.x5c).toEqual([certificate.replace(/-----[A-Z ]+-----|\n/g, '')]);
  });

  it('a key the app registration does not know, or a wrong thumbprint, is invalid_client without the key in the error', async () => {
    const stranger = await createTestCertificate('not registered');
    const unknown = await failure(certSession({ clientCertificate: { thumbprintSha256: stranger.thumbprintSha256, privateKey: stranger.privateKey } })
      .session.getAccessToken({ scopes: GRAPH_DEFAULT }));
    expect(unknown).toMatchObject({ errorCode: 'invalid_client' });
    expect(unknown.message).toMatch(/^\[@graphwire\/msal-node\] credentials flow could not get a token \(invalid_client\)/);
    // The registered key, but the header names another certificate (as Azure AD, the provider checks x5t#S256).
    const { privateKey } = rig.idp.certificate;
    const misnamed = await failure(certSession({ clientCertificate: { thumbprintSha256: stranger.thumbprintSha256, privateKey } })
      .session.getAccessToken({ scopes: GRAPH_DEFAULT }));
    expect(misnamed).toMatchObject({ errorCode: 'invalid_client' });
    for (const error of [unknown, misnamed]) {
      const everything = JSON.stringify({ ...error, text: error.message });
      expect(everything).not.toContain('PRIVATE KEY');
      expect(everything).not.toContain(privateKey.split('\n')[1]);
    }
    expect(rig.idp.stats.tokensIssued).toEqual({});
  });
});

describe('clientAssertion', () => {
  /** What an app that signs elsewhere (a key vault, a workload identity) would hand MSAL. */
  const signAssertion = async ({ clientId: iss, tokenEndpoint }: ClientAssertionContext) => {
    const { privateKey, thumbprintSha256 } = rig.idp.certificate;
    return new SignJWT({}).setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': b64url(thumbprintSha256) })
      .setIssuer(iss).setSubject(iss).setAudience(tokenEndpoint ?? `${rig.idp.issuer}/token`).setJti(randomUUID()).setIssuedAt().setExpirationTime('5m')
      .sign(createPrivateKey(privateKey));
  };

  it('a function is called for a fresh assertion per token request, with the audience to sign for', async () => {
    const contexts: ClientAssertionContext[] = [];
    const { session, con, assertions } = certSession({
      clientAssertion: async (context) => { contexts.push(context); return signAssertion(context); },
    });
    await con.get('users').json();
    await session.getAccessToken({ scopes: GRAPH_DEFAULT, forceRefresh: true });
    expect(rig.subjects).toEqual([clientId]);
    expect(rig.idp.stats.tokensIssued).toEqual({ client_credentials: 2 });
    expect(contexts).toEqual([
      { clientId, tokenEndpoint: `${rig.idp.issuer}/token`, fmiPath: undefined },
      { clientId, tokenEndpoint: `${rig.idp.issuer}/token`, fmiPath: undefined },
    ]);
    expect(new Set(assertions).size).toBe(2);
  });

  it('a string is sent as given: it works once, and the provider refuses its replay', async () => {
    const assertion = await signAssertion({ clientId, tokenEndpoint: `${rig.idp.issuer}/token` });
    const { session, con, assertions } = certSession({ clientAssertion: assertion });
    await con.get('users').json();
    expect(rig.subjects).toEqual([clientId]);
    const replay = await failure(session.getAccessToken({ scopes: GRAPH_DEFAULT, forceRefresh: true }));
    expect(replay).toMatchObject({ errorCode: 'invalid_client' });
    expect(replay.message).not.toContain(assertion);
    expect(assertions).toEqual([assertion, assertion]);
  });
});
