// The session's decisions (store, silent, interaction, errors) against a scripted MSAL application.
import type { AccountInfo, AuthenticationResult, IPublicClientApplication } from '@azure/msal-browser';
import { MemoryTokenStore, isGraphAuthError } from '@graphwire/core';
import { describe, expect, test, vi } from 'vitest';
import { MsalBrowserSession, isRedirectInProgressError } from '@graphwire/msal-browser';

const ACCOUNT = { homeAccountId: 'home-1', username: 'ann@example.test' } as AccountInfo;

function result(token: string, lifetimeMs = 3_600_000): AuthenticationResult {
  return { accessToken: token, account: ACCOUNT, expiresOn: new Date(Date.now() + lifetimeMs) } as AuthenticationResult;
}

function fakeMsal(overrides: Partial<Record<keyof IPublicClientApplication, unknown>> = {}) {
  let active: AccountInfo | null = null;
  const app = {
    initialize: vi.fn(async () => undefined),
    handleRedirectPromise: vi.fn(async () => null),
    getConfiguration: () => ({ auth: { clientId: 'client-1' } }),
    getActiveAccount: () => active,
    setActiveAccount: (a: AccountInfo | null) => void (active = a),
    getAllAccounts: vi.fn(() => [ACCOUNT]),
    acquireTokenSilent: vi.fn(async () => result('silent-token')),
    acquireTokenPopup: vi.fn(async () => result('popup-token')),
    acquireTokenRedirect: vi.fn(async () => undefined),
    loginPopup: vi.fn(async () => result('login-token')),
    loginRedirect: vi.fn(async () => undefined),
    clearCache: vi.fn(async () => undefined),
  };
  return Object.assign(app, overrides) as typeof app;
}

const interactionRequired = Object.assign(new Error('AADSTS50058: secret-ish server text'), { name: 'InteractionRequiredAuthError', errorCode: 'interaction_required' });

function sessionWith(app: ReturnType<typeof fakeMsal>, extra: Record<string, unknown> = {}) {
  const tokenStore = new MemoryTokenStore();
  const session = new MsalBrowserSession({ msalInstance: app as unknown as IPublicClientApplication, tokenStore, interaction: 'popup', ...extra });
  return { session, tokenStore };
}

describe('MsalBrowserSession', () => {
  test('silent first, then the store: the second call does not reach MSAL', async () => {
    const app = fakeMsal();
    const { session } = sessionWith(app);
    expect(await session.getAccessToken({ scopes: ['User.Read'] })).toMatchObject({ token: 'silent-token' });
    expect(await session.getAccessToken({ scopes: ['user.read'] })).toMatchObject({ token: 'silent-token' });
    expect(app.acquireTokenSilent).toHaveBeenCalledTimes(1);
  });

  test('forceRefresh bypasses the store', async () => {
    const app = fakeMsal();
    const { session } = sessionWith(app);
    await session.getAccessToken({ scopes: ['User.Read'] });
    app.acquireTokenSilent.mockResolvedValueOnce(result('fresh-token'));
    expect(await session.getAccessToken({ scopes: ['User.Read'], forceRefresh: true })).toMatchObject({ token: 'fresh-token' });
    expect(app.acquireTokenSilent).toHaveBeenLastCalledWith(expect.objectContaining({ forceRefresh: true }));
  });

  test('a stored token inside the refresh margin is refreshed', async () => {
    const silent = vi.fn(async () => result('short', 60_000));
    const { session } = sessionWith(fakeMsal({ acquireTokenSilent: silent }));
    await session.getAccessToken({ scopes: ['User.Read'] });
    await session.getAccessToken({ scopes: ['User.Read'] });
    expect(silent).toHaveBeenCalledTimes(2);
  });

  test('interaction required: popup when configured', async () => {
    const app = fakeMsal({ acquireTokenSilent: vi.fn(async () => Promise.reject(interactionRequired)) });
    const { session } = sessionWith(app);
    expect(await session.getAccessToken({ scopes: ['User.Read'] })).toMatchObject({ token: 'popup-token' });
  });

  test('interaction required with redirect: a typed rejection, never undefined', async () => {
    const app = fakeMsal({ acquireTokenSilent: vi.fn(async () => Promise.reject(interactionRequired)) });
    const { session } = sessionWith(app, { interaction: 'redirect' });
    const error = await session.getAccessToken({ scopes: ['User.Read'] }).then(() => undefined, (e: unknown) => e);
    expect(isRedirectInProgressError(error)).toBe(true);
    expect(isGraphAuthError(error)).toBe(true);
    expect(error).toMatchObject({ errorCode: 'redirect_in_progress', interactionRequired: true });
    expect(app.acquireTokenRedirect).toHaveBeenCalledWith(expect.objectContaining({ scopes: ['User.Read'], account: ACCOUNT }));
  });

  test('MSAL failures become GraphAuthError with MSAL\'s code and no server text', async () => {
    const failure = Object.assign(new Error('server said: token=abc.def.ghi'), { name: 'ServerError', errorCode: 'invalid_grant', subError: 'bad_token_xyz' });
    const app = fakeMsal({ acquireTokenSilent: vi.fn(async () => Promise.reject(failure)) });
    const { session } = sessionWith(app);
    const error = await session.getAccessToken({ scopes: ['User.Read'] }).catch((e: unknown) => e);
    expect(isGraphAuthError(error)).toBe(true);
    expect(error).toMatchObject({ errorCode: 'invalid_grant', cause: failure });
    expect((error as Error).message).toMatch(/^\[@graphwire\/msal-browser\] silent token acquisition failed: invalid_grant/);
    expect((error as Error).message).not.toContain('abc.def');
  });

  test('login by popup stores the token; logout forgets it', async () => {
    const app = fakeMsal({ getAllAccounts: vi.fn(() => []) });
    const { session, tokenStore } = sessionWith(app);
    expect(await session.login({ scopes: ['User.Read'] })).toBe(ACCOUNT);
    expect(await session.getAccessToken({ scopes: ['User.Read'] })).toMatchObject({ token: 'login-token' });
    expect(app.acquireTokenSilent).not.toHaveBeenCalled();
    await session.logout({ localOnly: true });
    expect(await tokenStore.load('graphwire.at.client-1.home-1')).toBeUndefined();
    expect(app.clearCache).toHaveBeenCalledWith({ account: ACCOUNT });
  });

  test('several accounts: the `account` option chooses, setActiveAccount switches', async () => {
    const other = { homeAccountId: 'home-2', username: 'bo@example.test' } as AccountInfo;
    const app = fakeMsal({ getAllAccounts: vi.fn(() => [ACCOUNT, other]) });
    const { session } = sessionWith(app, { account: 'BO@example.test' });
    expect(await session.initialize()).toBe(other);
    expect(await session.setActiveAccount('home-1')).toBe(ACCOUNT);
    await expect(session.setActiveAccount('nobody')).rejects.toMatchObject({ errorCode: 'no_account' });
  });

  test('needs a clientId or an MSAL instance', () => {
    expect(() => new MsalBrowserSession({})).toThrow(/^\[@graphwire\/msal-browser\] clientId is required/);
  });
});

describe('strict options', () => {
  /** The TypeError `fn` throws (the test fails on anything else, or nothing). */
  function typeError(fn: () => unknown): TypeError {
    let error: unknown;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    return error as TypeError;
  }
  const construct = (options: Record<string, unknown>) => () => new MsalBrowserSession({ clientId: 'c', tokenStore: new MemoryTokenStore(), ...options });

  test('an unknown option is refused with the known ones listed', () => {
    expect(typeError(construct({ clientSecret: 'x' })).message).toMatch(
      /^\[@graphwire\/msal-browser\] MsalBrowserSession: unknown option 'clientSecret'; known options: clientId, tenantId, authority, cloud, redirectUri, postLogoutRedirectUri, scopes, interaction, tokenStore, refreshMarginMs, account, msal, msalInstance$/,
    );
    expect(typeError(construct({ redirectUrl: '/r' })).message).toMatch(/unknown option 'redirectUrl' \(did you mean 'redirectUri'\?\)/);
    expect(typeError(construct({ msal: { auth: {}, cach: {} } })).message).toMatch(/unknown option 'msal.cach' \(did you mean 'msal.cache'\?\); known options of 'msal': auth, cache, system, experimental, telemetry/);
  });

  test('every option has its type checked', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ scopes: 'User.Read' }, /option 'scopes' must be a non-empty array of scope strings/],
      [{ clientId: 7 }, /option 'clientId' must be a non-empty string \(got 7\)/],
      [{ cloud: 'moon' }, /option 'cloud' must be one of 'global', 'usgov', 'dod', 'china'/],
      [{ interaction: 'modal' }, /option 'interaction' must be one of 'redirect', 'popup'/],
      [{ tokenStore: localStorageLike() }, /option 'tokenStore' must be a TokenStore/],
      [{ refreshMarginMs: -5 }, /option 'refreshMarginMs' must be a number of milliseconds/],
      [{ account: { username: 'x' } }, /option 'account' must be a username or homeAccountId string/],
      [{ msal: 'config' }, /option 'msal' must be an object/],
      [{ msal: { auth: 'c' } }, /option 'msal.auth' must be an object/],
      [{ msalInstance: {} }, /option 'msalInstance' must be an MSAL PublicClientApplication/],
    ];
    for (const [options, message] of cases) {
      const error = typeError(construct(options));
      expect(error.message).toMatch(/^\[@graphwire\/msal-browser\] MsalBrowserSession: option '/);
      expect(error.message).toMatch(message);
    }
  });

  test('login, logout and setActiveAccount check their options too', async () => {
    const { session } = sessionWith(fakeMsal());
    await expect(session.login({ scope: ['User.Read'] } as never)).rejects.toThrow(/^\[@graphwire\/msal-browser\] MsalBrowserSession.login: unknown option 'scope' \(did you mean 'scopes'\?\); known options: scopes, interaction, prompt, loginHint$/);
    await expect(session.login({ interaction: 'tab' } as never)).rejects.toBeInstanceOf(TypeError);
    await expect(session.logout({ localonly: true } as never)).rejects.toThrow(/MsalBrowserSession.logout: unknown option 'localonly' \(did you mean 'localOnly'\?\)/);
    await expect(session.logout({ account: 'ann@example.test' } as never)).rejects.toThrow(/option 'account' must be an AccountInfo/);
    await expect(session.setActiveAccount(42 as never)).rejects.toThrow(/setActiveAccount: give an AccountInfo, a username or a homeAccountId/);
  });

  test('valid options are still accepted', () => {
    expect(construct({ tenantId: 't', cloud: 'china', redirectUri: 'https://a/r', postLogoutRedirectUri: 'https://a/', scopes: ['User.Read'], interaction: 'popup', refreshMarginMs: 0, account: 'ann', msal: { auth: {}, system: {} } })()).toBeInstanceOf(MsalBrowserSession);
    expect(sessionWith(fakeMsal()).session).toBeInstanceOf(MsalBrowserSession);
  });
});

/** What someone might pass by mistake: a storage object, not a TokenStore. */
function localStorageLike() {
  return { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };
}

describe('invalidation of Connections', () => {
  test('logout, another active account, and a login as someone else each notify subscribers', async () => {
    const OTHER = { homeAccountId: 'home-2', username: 'bo@example.test' } as AccountInfo;
    const app = fakeMsal({
      getAllAccounts: vi.fn(() => [ACCOUNT, OTHER]),
      loginPopup: vi.fn(async () => ({ ...result('login-token'), account: OTHER })),
    });
    const { session } = sessionWith(app);
    const listener = vi.fn();
    const unsubscribe = session.onInvalidate(listener);
    await session.setActiveAccount(ACCOUNT);
    expect(listener).toHaveBeenCalledTimes(1); // nobody was active before: a change all the same
    await session.setActiveAccount(ACCOUNT);
    expect(listener).toHaveBeenCalledTimes(1); // same account: nothing to drop
    await session.login();
    expect(listener).toHaveBeenCalledTimes(2);
    await session.logout({ localOnly: true });
    expect(listener).toHaveBeenCalledTimes(3);
    unsubscribe();
    await session.logout({ localOnly: true });
    expect(listener).toHaveBeenCalledTimes(3);
  });
});

describe('MSAL configuration built from the options', () => {
  test('authority from cloud and tenant, localStorage cache, renewal a second beyond the margin, pass-through last', async () => {
    const { buildMsalConfiguration } = await import('../src/session-options.js');
    const started = vi.fn();
    const config = buildMsalConfiguration(
      { clientId: 'c', cloud: 'usgov', tenantId: 'contoso', msal: { auth: { knownAuthorities: ['x'] }, system: { protocolMode: 'OIDC' } } },
      300_000,
      started,
    );
    expect(config.auth).toMatchObject({ clientId: 'c', authority: 'https://login.microsoftonline.us/contoso', knownAuthorities: ['x'] });
    expect(config.cache).toEqual({ cacheLocation: 'localStorage' });
    expect(config.system).toEqual({ tokenRenewalOffsetSeconds: 301, protocolMode: 'OIDC' });
    expect(config.auth.onRedirectNavigate?.('https://login.example/')).toBeUndefined();
    expect(started).toHaveBeenCalledTimes(1);
  });

  test('a user onRedirectNavigate that cancels navigation is respected and no redirect is reported', async () => {
    const { buildMsalConfiguration } = await import('../src/session-options.js');
    const started = vi.fn();
    const config = buildMsalConfiguration({ clientId: 'c', msal: { auth: { onRedirectNavigate: () => false } } }, 1000, started);
    expect(config.auth.onRedirectNavigate?.('https://login.example/')).toBe(false);
    expect(started).not.toHaveBeenCalled();
  });
});

describe('the sign-out request', () => {
  const account = { homeAccountId: 'home-1', username: 'ann@example.test' } as AccountInfo;
  const appWith = (auth: Record<string, unknown>, system: Record<string, unknown> = {}) =>
    ({ getConfiguration: () => ({ auth, system }) }) as unknown as IPublicClientApplication;

  test('a popup ends on the redirect bridge; an OpenID provider also gets the client id', async () => {
    const { endSessionRequest } = await import('../src/end-session-request.js');
    const oidc = appWith({ clientId: 'c', redirectUri: 'https://app.test/redirect.html' }, { protocolMode: 'OIDC' });
    expect(endSessionRequest(oidc, account, true)).toEqual({
      account,
      postLogoutRedirectUri: 'https://app.test/redirect.html',
      extraQueryParameters: { client_id: 'c' },
    });
    expect(endSessionRequest(oidc, null, false)).toEqual({ extraQueryParameters: { client_id: 'c' } });
  });

  test('Microsoft\'s endpoints get MSAL\'s request unchanged but for the popup\'s bridge page', async () => {
    const { endSessionRequest } = await import('../src/end-session-request.js');
    const entra = appWith({ clientId: 'c', redirectUri: 'https://app.test/redirect.html' }, { protocolMode: 'AAD' });
    expect(endSessionRequest(entra, account, false)).toEqual({ account });
    expect(endSessionRequest(entra, account, true)).toEqual({ account, postLogoutRedirectUri: 'https://app.test/redirect.html' });
  });
});
