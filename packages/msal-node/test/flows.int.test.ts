import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Connection, isGraphAuthError, MemoryTokenStore } from '@graphwire/core';
import { FileTokenStore, MsalNodeSession, type DeviceCodeInfo } from '@graphwire/msal-node';
import {
  localMsal, signInAs, startRig, tempDir, TEST_CLIENTS, TEST_USER_PASSWORD, testUsername, type Rig,
} from './helpers.js';

const GRAPH_DEFAULT = ['https://graph.microsoft.com/.default'];
const { confidential, public: publicClient } = TEST_CLIENTS;

let rig: Rig;
beforeAll(async () => { rig = await startRig(); });
afterAll(() => rig.close());
afterEach(() => { rig.subjects.length = 0; rig.idp.resetStats(); });

// The Connection asks for the scopes the session signed in with (its default is Graph's .default).
const connect = (session: MsalNodeSession, scopes?: string[]) =>
  new Connection({ session, baseUrl: `${rig.graph.url}/v1.0`, fetch: session.fetch, retries: 0, ...(scopes ? { scopes } : {}) });

describe('credentials flow', () => {
  it('gets an app token from the provider that the simulator accepts, then reuses it from the cache', async () => {
    const session = new MsalNodeSession({
      clientId: confidential.clientId, clientSecret: confidential.clientSecret, tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp),
    });
    expect(session.flow).toBe('credentials');
    const con = connect(session);
    const users = await con.get('users').json<{ value: unknown[] }>();
    expect(Array.isArray(users.value)).toBe(true);
    expect(rig.subjects).toEqual([confidential.clientId]);
    const again = await session.getAccessToken({ scopes: GRAPH_DEFAULT });
    expect(rig.graph.stats.tokensSeen).toContain(again.token);
    expect(rig.idp.grantCount('client_credentials')).toBe(1);
    expect(again.expiresOn).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('refuses delegated scopes with a message naming the remedy, and a wrong secret without echoing it', async () => {
    const base = { clientId: confidential.clientId, tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp) };
    const good = new MsalNodeSession({ ...base, clientSecret: confidential.clientSecret });
    await expect(good.getAccessToken({ scopes: ['User.Read'] })).rejects.toThrow(/\[@graphwire\/msal-node\].*'credentials'.*\.default/);
    const secret = 'definitely-wrong-secret-value';
    const bad = new MsalNodeSession({ ...base, clientSecret: secret });
    const error = await bad.getAccessToken({ scopes: GRAPH_DEFAULT }).catch((e: unknown) => e);
    expect(isGraphAuthError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/invalid_client/);
    expect(JSON.stringify({ m: (error as Error).message, ...(error as object) })).not.toContain(secret);
  });
});

describe('authorization flow (auth code + PKCE)', () => {
  it('signs a user in through getAuthorizationUrl / requestToken and calls /me with their token', async () => {
    const store = new MemoryTokenStore();
    const session = new MsalNodeSession({
      clientId: confidential.clientId, clientSecret: confidential.clientSecret, flow: 'authorization',
      redirectUri: confidential.redirectUri, scopes: ['User.Read'], tokenStore: store, ...localMsal(rig.idp),
    });
    const { url, flow } = await session.getAuthorizationUrl();
    const stored = JSON.parse(JSON.stringify(flow)) as typeof flow; // the app keeps it between requests
    const redirected = await signInAs(url, { login: 'alice', stopAt: confidential.redirectUri });
    const account = await session.requestToken(redirected, stored);
    expect(account.username).toBe(testUsername('alice'));
    const me = await connect(session, ['User.Read']).get('me').json<{ id: string }>();
    expect(me.id).toBeTruthy();
    expect(rig.subjects).toEqual(['alice']);
  });

  it('rejects a redirect that belongs to another sign-in, and asks for sign-in when no account is cached', async () => {
    const session = new MsalNodeSession({
      clientId: confidential.clientId, clientSecret: confidential.clientSecret, flow: 'authorization',
      redirectUri: confidential.redirectUri, scopes: ['User.Read'], tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp),
    });
    const first = await session.getAuthorizationUrl();
    const second = await session.getAuthorizationUrl();
    const redirected = await signInAs(first.url, { stopAt: confidential.redirectUri });
    await expect(session.requestToken(redirected, second.flow)).rejects.toMatchObject({ errorCode: 'state_mismatch' });
    await expect(session.getAccessToken({ scopes: ['User.Read'] })).rejects.toMatchObject({ errorCode: 'no_account', interactionRequired: true });
  });

  it('keeps several accounts in one cache, selects by username, logs one out', async () => {
    const { dir, remove } = tempDir();
    try {
      const options = {
        clientId: confidential.clientId, clientSecret: confidential.clientSecret, flow: 'authorization' as const,
        redirectUri: confidential.redirectUri, scopes: ['User.Read'], tokenStore: new FileTokenStore({ directory: dir }), ...localMsal(rig.idp),
      };
      const session = new MsalNodeSession(options);
      for (const login of ['alice', 'bob']) {
        const { url, flow } = await session.getAuthorizationUrl();
        await session.requestToken(await signInAs(url, { login, stopAt: confidential.redirectUri }), flow);
      }
      const fresh = new MsalNodeSession(options);
      expect((await fresh.accounts()).map((a) => a.username).sort()).toEqual([testUsername('alice'), testUsername('bob')]);
      await expect(fresh.getAccessToken({ scopes: ['User.Read'] })).rejects.toThrow(/option `username`/);
      const bob = new MsalNodeSession({ ...options, username: testUsername('bob') });
      const bobs = connect(bob, ['User.Read']);
      await bobs.get('me').json();
      expect(rig.subjects).toEqual(['bob']);
      await fresh.logout(testUsername('alice'));
      expect((await new MsalNodeSession(options).accounts()).map((a) => a.username)).toEqual([testUsername('bob')]);
      // Logging bob out makes the Connection drop the token it kept in memory.
      await bob.logout();
      await expect(bobs.get('me')).rejects.toMatchObject({ name: 'GraphAuthError', errorCode: 'no_account' });
    } finally {
      remove();
    }
  });
});

describe('device flow', () => {
  it('shows the code through onDeviceCode and gets a token once the user confirms', async () => {
    const shown: DeviceCodeInfo[] = [];
    let user: Promise<string> | undefined;
    const session = new MsalNodeSession({
      clientId: publicClient.clientId, flow: 'device', scopes: ['User.Read'], tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp),
      onDeviceCode: (info) => {
        shown.push(info);
        user = signInAs(info.verificationUri, { login: 'dora', userCode: info.userCode });
      },
    });
    await connect(session, ['User.Read']).get('me').json();
    await user;
    expect(shown).toHaveLength(1);
    expect(shown[0]?.userCode).toMatch(/\S/);
    expect(rig.subjects).toEqual(['dora']);
  });
});

describe('interactive flow', () => {
  it('opens the sign-in URL, receives the code on MSAL\'s loopback redirect, and calls Graph', async () => {
    const opened: string[] = [];
    const session = new MsalNodeSession({
      clientId: publicClient.clientId, flow: 'interactive', scopes: ['User.Read'], tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp),
      openBrowser: async (url) => {
        opened.push(url);
        await signInAs(url, { login: 'ivan' });
      },
    });
    await connect(session, ['User.Read']).get('me').json();
    expect(opened).toHaveLength(1);
    expect(new URL(opened[0] ?? '').searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+/);
    expect(rig.subjects).toEqual(['ivan']);
    // Cached: no second browser, no second token request.
    await session.getAccessToken({ scopes: ['User.Read'] });
    expect(opened).toHaveLength(1);
    expect(rig.idp.grantCount('authorization_code')).toBe(1);
  });
});

describe('password flow', () => {
  it('signs in with username and password; a wrong password is a GraphAuthError without the password', async () => {
    const base = { clientId: publicClient.clientId, flow: 'password' as const, scopes: ['User.Read'], username: testUsername('pat'), ...localMsal(rig.idp) };
    const session = new MsalNodeSession({ ...base, password: TEST_USER_PASSWORD, tokenStore: new MemoryTokenStore() });
    await connect(session, ['User.Read']).get('me').json();
    expect(rig.subjects).toEqual(['pat']);
    const wrong = 'not-the-password-123';
    const error = await new MsalNodeSession({ ...base, password: wrong, tokenStore: new MemoryTokenStore() })
      .getAccessToken({ scopes: ['User.Read'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'invalid_grant' });
    expect((error as Error).message).toMatch(/^\[@graphwire\/msal-node\]/);
    expect((error as Error).message).not.toContain(wrong);
  });
});

describe('on-behalf-of flow', () => {
  it('exchanges the token an API received for a Graph token for the same user', async () => {
    const user = new MsalNodeSession({
      clientId: publicClient.clientId, flow: 'password', scopes: ['User.Read'], username: testUsername('olga'), password: TEST_USER_PASSWORD,
      tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp),
    });
    const incoming = await user.getAccessToken({ scopes: ['User.Read'] });
    const api = new MsalNodeSession({
      clientId: confidential.clientId, clientSecret: confidential.clientSecret, flow: 'on-behalf-of', userAssertion: incoming.token,
      scopes: ['Mail.Read'], tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp),
    });
    await connect(api, ['Mail.Read']).get('me').json();
    expect(rig.subjects).toEqual(['olga']);
    expect(rig.graph.stats.tokensSeen).not.toContain(incoming.token);
    expect(rig.idp.grantCount('urn:ietf:params:oauth:grant-type:jwt-bearer')).toBe(1);
  });
});
