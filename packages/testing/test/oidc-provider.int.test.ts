import { X509Certificate, createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import {
  jwksTokenValidator, signInAs, startOidcProvider, TEST_CLIENTS, TEST_USER_PASSWORD, type OidcProvider,
} from '../src/oidc/index.js';

const { confidential } = TEST_CLIENTS;

async function token(p: OidcProvider, params: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`http://127.0.0.1:${p.port}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: confidential.clientId, client_secret: confidential.clientSecret, ...params }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('startOidcProvider', () => {
  let p: OidcProvider;
  beforeAll(async () => { p = await startOidcProvider({ accessTokenTTL: 600 }); });
  afterAll(() => p.close());

  it('issues JWT access tokens for Graph that jwksTokenValidator accepts, and counts grants', async () => {
    p.resetStats();
    const r = await token(p, { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' });
    expect(r.status).toBe(200);
    expect(r.body.access_token?.split('.')).toHaveLength(3);
    expect(await jwksTokenValidator(p)(r.body.access_token ?? '')).toEqual({ valid: true, subject: confidential.clientId });
    expect(p.grantCount('client_credentials')).toBe(1);
    expect(p.stats.tokensIssued.client_credentials).toBe(1);
    expect(p.stats.requests).toBe(1);
    expect(await jwksTokenValidator(p.issuer)(r.body.access_token ?? '')).toMatchObject({ valid: true }); // fetches /jwks;
  });

  it('rejects a token signed by another key, for another audience, or tampered', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'mallory' }).setProtectedHeader({ alg: 'RS256', kid: p.jwks.keys[0]?.kid ?? '' })
      .setIssuer(p.issuer).setAudience('https://graph.microsoft.com').setExpirationTime('1h').sign(privateKey);
    const validate = jwksTokenValidator(p);
    expect(await validate(forged)).toMatchObject({ valid: false, reason: 'invalid' });
    expect(await validate('not-a-jwt')).toMatchObject({ valid: false, reason: 'invalid' });
    const r = await token(p, { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' });
    expect(await jwksTokenValidator(p, { audience: 'api://other' })(r.body.access_token ?? '')).toMatchObject({ valid: false, reason: 'invalid' });
  });

  it('password grant: the test password signs in, any other is invalid_grant', async () => {
    const ok = await token(p, { grant_type: 'password', username: 'carol@example.test', password: TEST_USER_PASSWORD, scope: 'openid offline_access User.Read' });
    expect(ok.status).toBe(200);
    expect(ok.body.refresh_token).toBeTruthy();
    expect(await jwksTokenValidator(p)(ok.body.access_token ?? '')).toEqual({ valid: true, subject: 'carol' });
    const bad = await token(p, { grant_type: 'password', username: 'carol@example.test', password: 'nope', scope: 'User.Read' });
    expect(bad.body.error).toBe('invalid_grant');
  });

  it('on-behalf-of grant exchanges a user token for one with the same subject', async () => {
    const user = await token(p, { grant_type: 'password', username: 'dave@example.test', password: TEST_USER_PASSWORD, scope: 'User.Read' });
    const obo = await token(p, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', requested_token_use: 'on_behalf_of',
      assertion: user.body.access_token ?? '', scope: 'openid offline_access Mail.Read',
    });
    expect(obo.status).toBe(200);
    expect(await jwksTokenValidator(p)(obo.body.access_token ?? '')).toEqual({ valid: true, subject: 'dave' });
    const forged = await token(p, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', requested_token_use: 'on_behalf_of', assertion: 'x.y.z', scope: 'Mail.Read',
    });
    expect(forged.body.error).toBe('invalid_grant');
  });

  it('signInAs drives login and consent to the redirect URI with a code', async () => {
    const url = new URL(`${p.issuer}/authorize`);
    url.search = new URLSearchParams({
      client_id: confidential.clientId, response_type: 'code', redirect_uri: confidential.redirectUri, scope: 'openid User.Read', state: 's1',
    }).toString();
    const landed = new URL(await signInAs(url.toString(), { login: 'erin', stopAt: confidential.redirectUri }));
    expect(landed.searchParams.get('state')).toBe('s1');
    const code = landed.searchParams.get('code') ?? '';
    const r = await token(p, { grant_type: 'authorization_code', code, redirect_uri: confidential.redirectUri });
    expect(await jwksTokenValidator(p)(r.body.access_token ?? '')).toEqual({ valid: true, subject: 'erin' });
  });

  it('registers a private_key_jwt client with a valid self-signed certificate', async () => {
    const c = p.certificate;
    const x509 = new X509Certificate(c.certificate);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(c.privateKey))).toBe(true);
    expect(x509.fingerprint256.replace(/:/g, '')).toBe(c.thumbprintSha256);
    expect(x509.fingerprint.replace(/:/g, '')).toBe(c.thumbprint);
    const assertion = (header: Record<string, string>) => new SignJWT({}).setProtectedHeader({ alg: 'RS256', ...header })
      .setIssuer(c.clientId).setSubject(c.clientId).setAudience(`${p.issuer}/token`).setJti(crypto.randomUUID()).setExpirationTime('1m')
      .sign(createPrivateKey(c.privateKey));
    const post = async (header: Record<string, string>) => (await (await fetch(`${p.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default', client_id: c.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await assertion(header),
      }),
    })).json()) as Record<string, string>;
    const ok = await post({ x5t: Buffer.from(c.thumbprint, 'hex').toString('base64url') });
    expect(await jwksTokenValidator(p)(ok.access_token ?? '')).toEqual({ valid: true, subject: c.clientId });
    expect((await post({})).error).toBe('invalid_client'); // the header must name the certificate, as with Azure AD
  });

  it('serves MSAL-ready authority settings whose endpoints are local http', () => {
    const meta = JSON.parse(p.msal.authorityMetadata) as Record<string, string>;
    expect(meta.token_endpoint).toBe(`${p.issuer}/token`);
    expect(p.msal.authority).toBe(`https://localhost:${p.port}/`);
    expect(p.msal.knownAuthorities).toEqual([`localhost:${p.port}`]);
  });
});

describe('short-lived tokens', () => {
  it('jwksTokenValidator reports an expired token as expired', async () => {
    const p = await startOidcProvider({ accessTokenTTL: 1 });
    try {
      const r = await token(p, { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' });
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect(await jwksTokenValidator(p)(r.body.access_token ?? '')).toMatchObject({ valid: false, reason: 'expired' });
    } finally {
      await p.close();
    }
  });
});

describe('strict options of the OpenID helpers', () => {
  it('startOidcProvider refuses an unknown option or a wrong type with a TypeError listing the known ones', async () => {
    await expect(startOidcProvider({ ttl: 60 } as never)).rejects.toThrow(TypeError);
    await expect(startOidcProvider({ ttl: 60 } as never)).rejects.toThrow(
      "[@graphwire/testing] startOidcProvider: unknown option 'ttl' (did you mean 'accessTokenTTL'?); known options: port, accessTokenTTL, scopes, spaOrigins, clients",
    );
    await expect(startOidcProvider({ scopes: 'User.Read' } as never)).rejects.toThrow("[@graphwire/testing] startOidcProvider: option 'scopes' must be an array of strings (got a string of 9 characters)");
    await expect(startOidcProvider({ port: 70_000 })).rejects.toThrow(/option 'port' must be a whole number from 0 \(any free port\) to 65535 \(got 70000\)/);
    await expect(startOidcProvider({ accessTokenTTL: 0 })).rejects.toThrow(/option 'accessTokenTTL' must be a whole number of seconds of at least 1/);
    await expect(startOidcProvider({ spaOrigins: ['http://localhost:5173/app'] })).rejects.toThrow(/option 'spaOrigins' must be an array of origins/);
    await expect(startOidcProvider({ clients: [{ client_id: 'x' }, 'y'] } as never)).rejects.toThrow(/option 'clients' must be an array of oidc-provider client metadata objects/);
  });

  it('jwksTokenValidator and signInAs check their options too', async () => {
    expect(() => jwksTokenValidator('http://localhost:1', { aud: 'x' } as never)).toThrow(
      "[@graphwire/testing] jwksTokenValidator: unknown option 'aud' (did you mean 'audience'?); known options: audience",
    );
    expect(() => jwksTokenValidator('not a url')).toThrow(TypeError);
    await expect(signInAs('http://localhost:1/authorize', { username: 'alice' } as never)).rejects.toThrow(
      "[@graphwire/testing] signInAs: unknown option 'username' (did you mean 'login'?); known options: login, stopAt, userCode",
    );
    await expect(signInAs('http://localhost:1/authorize', { stopAt: 3 } as never)).rejects.toThrow(/signInAs: option 'stopAt' must be a non-empty string \(got 3\)/);
  });
});
