// Strict options: every public constructor and options bag of this package refuses unknown keys
// and wrong types with a TypeError that names the option and lists the known ones, and never
// falls back silently (to ~/.graphwire, to an interactive sign-in, to a default flow).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '@graphwire/core';
import {
  createNodeFetch, createProxyDispatcher, FetchNetworkClient, FileTokenStore, MsalNodeSession, tokenStoreCachePlugin,
  type MsalNodeSessionOptions,
} from '@graphwire/msal-node';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The TypeError `fn` throws (the test fails if it throws anything else or nothing). */
function typeError(fn: () => unknown): TypeError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).name).toBe('TypeError');
  return error as TypeError;
}

const session = (options: Record<string, unknown>) => () =>
  new MsalNodeSession({ clientId: 'app', tokenStore: new MemoryTokenStore(), ...options });

describe('MsalNodeSession options', () => {
  it('refuses a typo instead of becoming an interactive sign-in, and lists the known options', () => {
    const error = typeError(() => new MsalNodeSession({ clientId: 'app', tenantId: 'contoso', clientSecert: 'x' } as unknown as MsalNodeSessionOptions));
    expect(error.message).toMatch(/^\[@graphwire\/msal-node\] MsalNodeSession: unknown option 'clientSecert' \(did you mean 'clientSecret'\?\); known options: clientId, tenantId, authority, cloud, clientSecret, .*tokenStore.*proxy, msal$/);
    expect(typeError(session({ client_secret: 'x' })).message).toMatch(/unknown option 'client_secret' \(did you mean 'clientSecret'\?\)/);
    expect(typeError(session({ token_backend: {} })).message).toMatch(/unknown option 'token_backend' \(did you mean 'tokenStore'\?\)/);
  });

  it('checks the type of every option', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ scopes: 'User.Read' }, /option 'scopes' must be a non-empty array of scope strings/],
      [{ scopes: ['User.Read', 3] }, /option 'scopes' must be/],
      [{ clientId: 42 }, /option 'clientId' must be a non-empty string \(got 42\)/],
      [{ tenantId: '' }, /option 'tenantId' must be a non-empty string/],
      [{ cloud: 'germany' }, /option 'cloud' must be one of 'global', 'usgov', 'dod', 'china'/],
      [{ clientSecret: 123 }, /option 'clientSecret' must be a non-empty string/],
      [{ clientAssertion: 1 }, /option 'clientAssertion' must be a non-empty string or a function/],
      [{ clientCertificate: 'pem' }, /option 'clientCertificate' must be an object/],
      [{ clientCertificate: { thumbprintSha256: 'AB' } }, /option 'clientCertificate.privateKey' is required/],
      [{ clientCertificate: { thumbprintSha256: 'AB', privateKey: 'k', chain: 'x' } }, /unknown option 'clientCertificate.chain' \(did you mean 'clientCertificate.x5c'\?\); known options of 'clientCertificate': thumbprint, thumbprintSha256, privateKey, x5c/],
      [{ onDeviceCode: 'print' }, /option 'onDeviceCode' must be a function/],
      [{ openBrowser: true }, /option 'openBrowser' must be a function/],
      [{ tokenStore: { load: async () => undefined } }, /option 'tokenStore' must be a TokenStore \(an object with load, save and delete methods/],
      [{ tokenStore: '/tmp/tokens' }, /option 'tokenStore' must be a TokenStore/],
      [{ cacheKey: 1 }, /option 'cacheKey' must be a non-empty string/],
      [{ proxy: 3128 }, /option 'proxy' must be a proxy URL \(a string or a URL.*\) or false \(got 3128\)/],
      [{ proxy: true }, /option 'proxy' must be a proxy URL/],
      [{ msal: { knownAuthority: ['x'] } }, /unknown option 'msal.knownAuthority' \(did you mean 'msal.knownAuthorities'\?\)/],
      [{ msal: { protocolMode: 'oidc' } }, /option 'msal.protocolMode' must be one of 'AAD', 'OIDC'/],
      [{ msal: { networkClient: {} } }, /option 'msal.networkClient' must be an MSAL INetworkModule/],
    ];
    for (const [options, message] of cases) {
      const error = typeError(session(options));
      expect(error.message).toMatch(/^\[@graphwire\/msal-node\] MsalNodeSession: /);
      expect(error.message).toMatch(message);
    }
  });

  it('an unknown flow is a configuration TypeError, not a GraphAuthError', () => {
    const error = typeError(session({ flow: 'public' }));
    expect(error.message).toBe("[@graphwire/msal-node] MsalNodeSession: option 'flow' must be one of 'credentials', 'authorization', 'device', 'interactive', 'password', 'on-behalf-of' (got a string of 6 characters)");
    expect(error).not.toHaveProperty('errorCode');
  });

  it('clientId stays required, and options that contradict each other are refused at construction', () => {
    expect(typeError(() => new MsalNodeSession({} as MsalNodeSessionOptions)).message)
      .toBe("[@graphwire/msal-node] MsalNodeSession: option 'clientId' is required: the application (client) id of your app registration");
    expect(typeError(() => new MsalNodeSession(undefined as unknown as MsalNodeSessionOptions)).message).toMatch(/option 'clientId' is required/);
    expect(typeError(() => new MsalNodeSession('app' as unknown as MsalNodeSessionOptions)).message).toMatch(/MsalNodeSession: options must be an object/);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ clientSecret: 's', clientAssertion: 'a' }, /give only one of the options 'clientSecret', 'clientCertificate', 'clientAssertion' \(got clientSecret, clientAssertion\)/],
      [{ clientCertificate: { privateKey: 'k' } }, /option 'clientCertificate' needs 'thumbprintSha256'/],
      [{ flow: 'credentials' }, /flow 'credentials' needs a client credential/],
      [{ flow: 'on-behalf-of', clientSecret: 's' }, /flow 'on-behalf-of' needs the option 'userAssertion'/],
      [{ flow: 'device', clientSecret: 's' }, /flow 'device' is for public clients: remove the option 'clientSecret'/],
      [{ flow: 'interactive', clientAssertion: async () => 'jwt' }, /flow 'interactive' is for public clients/],
      [{ flow: 'password', username: 'ann@example.test' }, /flow 'password' needs the options 'username' and 'password'/],
      [{ username: 'ann@example.test', password: 'pw' }, /option 'password' is only for flow 'password' \(the flow is 'interactive'\)/],
      [{ clientSecret: 's', userAssertion: 'jwt' }, /option 'userAssertion' is only for flow 'on-behalf-of'/],
    ];
    for (const [options, message] of cases) expect(typeError(session(options)).message).toMatch(message);
  });

  it('still accepts every valid shape', () => {
    const store = new MemoryTokenStore();
    expect(session({ clientSecret: 's', scopes: ['https://graph.microsoft.com/.default'], proxy: false, tokenStore: store })().flow).toBe('credentials');
    expect(session({ clientCertificate: { thumbprintSha256: 'AB', privateKey: 'k', x5c: 'pem' } })().flow).toBe('credentials');
    expect(session({ clientAssertion: async () => 'jwt', flow: 'authorization', redirectUri: 'http://localhost/cb' })().flow).toBe('authorization');
    expect(session({ flow: 'device', onDeviceCode: () => undefined, cloud: 'usgov', tenantId: 'contoso', cacheKey: 'k' })().flow).toBe('device');
    expect(session({ flow: 'password', username: 'ann', password: 'pw', proxy: new URL('http://proxy:3128') })().flow).toBe('password');
    expect(session({ flow: 'on-behalf-of', clientSecret: 's', userAssertion: 'jwt', scopes: undefined })().flow).toBe('on-behalf-of');
    expect(session({ msal: { authority: 'https://login.example/t', knownAuthorities: ['login.example'], protocolMode: 'OIDC' } })().flow).toBe('interactive');
  });

  it('getAuthorizationUrl and requestToken check their arguments too', async () => {
    const web = session({ clientSecret: 's', flow: 'authorization', redirectUri: 'http://localhost/cb' })();
    await expect(web.getAuthorizationUrl({ scope: ['User.Read'] } as never)).rejects.toThrow(
      /^\[@graphwire\/msal-node\] MsalNodeSession.getAuthorizationUrl: unknown option 'scope' \(did you mean 'scopes'\?\); known options: scopes, redirectUri, state, loginHint$/,
    );
    await expect(web.getAuthorizationUrl({ scopes: 'User.Read' } as never)).rejects.toBeInstanceOf(TypeError);
    const flow = { state: 's', codeVerifier: 'v', redirectUri: 'http://localhost/cb', scopes: ['User.Read'] };
    await expect(web.requestToken('http://localhost/cb?code=c&state=s', undefined as never)).rejects.toThrow(/requestToken: option 'state' is required/);
    await expect(web.requestToken('http://localhost/cb?code=c&state=s', { ...flow, scopes: 'User.Read' } as never)).rejects.toThrow(/requestToken: option 'scopes' must be an array of strings/);
    await expect(web.requestToken('not a url', flow)).rejects.toThrow(/requestToken: the first argument must be the URL the browser was redirected to/);
  });
});

describe('FileTokenStore options', () => {
  it("refuses 'path' (suggesting 'directory') instead of silently using ~/.graphwire", () => {
    const error = typeError(() => new FileTokenStore({ path: '/x' } as never));
    expect(error.message).toBe("[@graphwire/msal-node] FileTokenStore: unknown option 'path' (did you mean 'directory'?); known options: directory, encryptionKey, lockTimeoutMs, lockStaleMs");
  });

  it("reports a wrong type itself, not Node's `paths[0]` error", () => {
    expect(typeError(() => new FileTokenStore({ directory: 42 } as never)).message)
      .toBe("[@graphwire/msal-node] FileTokenStore: option 'directory' must be a string (a directory path) (got 42)");
    expect(typeError(() => new FileTokenStore({ directory: dir, encryptionKey: 32 } as never)).message).toMatch(/option 'encryptionKey' must be a string \(32 bytes as base64 or hex text\) or a Uint8Array/);
    expect(typeError(() => new FileTokenStore({ directory: dir, lockTimeoutMs: -1 })).message).toMatch(/option 'lockTimeoutMs' must be a number of milliseconds/);
    expect(typeError(() => new FileTokenStore({ directory: dir, lockStaleMs: '10s' } as never)).message).toMatch(/option 'lockStaleMs' must be a number of milliseconds of at least 2000/);
    expect(typeError(() => new FileTokenStore('/tmp' as never)).message).toMatch(/FileTokenStore: options must be an object/);
  });

  it('a key that is not 32 bytes is a TypeError that does not echo it', () => {
    const error = typeError(() => new FileTokenStore({ directory: dir, encryptionKey: 'short-passphrase' }));
    expect(error.message).toMatch(/^\[@graphwire\/msal-node\] FileTokenStore: option 'encryptionKey' must be 32 bytes/);
    expect(error.message).not.toContain('short-passphrase');
  });

  it('still accepts valid options', () => {
    expect(new FileTokenStore({ directory: dir, encryptionKey: new Uint8Array(32), lockTimeoutMs: 1000, lockStaleMs: 2000 }).directory).toBe(dir);
  });
});

describe('createNodeFetch / createProxyDispatcher options', () => {
  it('refuses unknown keys and wrong types', () => {
    expect(typeError(() => createNodeFetch({ proxyUrl: 'http://p:1' } as never)).message)
      .toBe("[@graphwire/msal-node] createNodeFetch: unknown option 'proxyUrl' (did you mean 'proxy'?); known options: proxy, env");
    expect(typeError(() => createProxyDispatcher({ proxy: 8080 } as never)).message).toMatch(/^\[@graphwire\/msal-node\] createProxyDispatcher: option 'proxy' must be a proxy URL/);
    expect(typeError(() => createNodeFetch({ env: { HTTPS_PROXY: 1 } } as never)).message).toMatch(/option 'env' must be an object of environment variables/);
    expect(typeof createNodeFetch({ proxy: false, env: {} })).toBe('function');
    expect(createProxyDispatcher({ env: { HTTPS_PROXY: 'http://proxy:3128' } })).toBeDefined();
  });

  it('the building blocks check their arguments', () => {
    expect(typeError(() => new FetchNetworkClient('fetch' as never)).message).toMatch(/^\[@graphwire\/msal-node\] FetchNetworkClient: the argument must be a fetch function/);
    expect(typeError(() => tokenStoreCachePlugin({} as never, 'k')).message).toMatch(/tokenStoreCachePlugin: the store must be a TokenStore/);
    expect(typeError(() => tokenStoreCachePlugin(new MemoryTokenStore(), '')).message).toMatch(/tokenStoreCachePlugin: the key must be a non-empty string/);
  });
});
