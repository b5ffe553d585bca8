import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '@graphwire/core';
import { createNodeFetch, createProxyDispatcher, MsalNodeSession } from '@graphwire/msal-node';

it('rejects a malformed proxy URL without carrying its password anywhere in the error', () => {
  const proxy = 'http://user:S3CRET-PASS@[not-a-host';
  const attempts: [string, () => unknown][] = [
    ['createProxyDispatcher', () => createProxyDispatcher({ proxy })],
    ['MsalNodeSession', () => new MsalNodeSession({ clientId: 'app', proxy, tokenStore: new MemoryTokenStore() })],
  ];
  for (const [owner, attempt] of attempts) {
    let error: unknown;
    try {
      attempt();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(`[@graphwire/msal-node] ${owner}: option 'proxy' must be a proxy URL`);
    expect(inspect(error, { depth: 8, showHidden: true })).not.toContain('S3CRET-PASS');
  }
});

describe('proxy environment variables', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy', 'NO_PROXY', 'no_proxy']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  const failure = (attempt: () => unknown): TypeError => {
    let error: unknown;
    try {
      attempt();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    // Not in the message, not in a property (Node's URL error has `input`), not in a cause.
    expect(inspect(error, { depth: 8, showHidden: true })).not.toContain('S3CRET-PASS');
    expect((error as { input?: unknown }).input).toBeUndefined();
    expect((error as { cause?: unknown }).cause).toBeUndefined();
    return error as TypeError;
  };

  it.each([
    ['HTTPS_PROXY', 'http://u:S3CRET-PASS@proxy:99999'], // port out of range
    ['HTTP_PROXY', 'http://u:S3CRET-PASS@[not-a-host'],
    ['https_proxy', 'http://u:S3CRET-PASS@pro xy:3128'],
    ['http_proxy', 'http://u:S3CRET-PASS@proxy:3128:1'],
  ])('a malformed %s is a prefixed error without its password', (name, value) => {
    const env = { [name]: value };
    expect(failure(() => createNodeFetch({ env })).message)
      .toBe(`[@graphwire/msal-node] createNodeFetch: the ${name} environment variable is not a URL: give it as http://[user:password@]host:port`);
    expect(failure(() => createProxyDispatcher({ env })).message).toMatch(/^\[@graphwire\/msal-node\] createProxyDispatcher: the /);
    process.env[name] = value;
    expect(failure(() => new MsalNodeSession({ clientId: 'app', tenantId: 't', clientSecret: 's', tokenStore: new MemoryTokenStore() })).message)
      .toMatch(new RegExp(`^\\[@graphwire/msal-node\\] MsalNodeSession: the ${name} environment variable is not a URL`));
  });

  it.each(['ftp://u:S3CRET-PASS@proxy:21', 'mailto:S3CRET-PASS@example.com', 'u:S3CRET-PASS@proxy:3128', 'socks5://proxy:1080'])(
    'refuses a proxy URL that is not http or https (%s), from the environment or the option',
    (value) => {
      expect(failure(() => createNodeFetch({ env: { HTTPS_PROXY: value } })).message)
        .toBe('[@graphwire/msal-node] createNodeFetch: the HTTPS_PROXY environment variable must be an http:// or https:// proxy URL, such as http://[user:password@]host:port');
      expect(failure(() => createNodeFetch({ proxy: value })).message)
        .toBe("[@graphwire/msal-node] createNodeFetch: option 'proxy' must be an http:// or https:// proxy URL, such as http://[user:password@]host:port");
      expect(failure(() => new MsalNodeSession({ clientId: 'app', proxy: value, tokenStore: new MemoryTokenStore() })).message)
        .toMatch(/^\[@graphwire\/msal-node\] MsalNodeSession: option 'proxy' must be an http:\/\/ or https:\/\//);
    },
  );

  it('reads the variables from `env` only, not from process.env, when `env` is given', () => {
    process.env.HTTP_PROXY = 'http://u:S3CRET-PASS@proxy:99999';
    // Only HTTPS_PROXY in `env`: the malformed process.env.HTTP_PROXY is neither used nor reported.
    expect(() => createNodeFetch({ env: { HTTPS_PROXY: 'http://proxy.example:3128' } })).not.toThrow();
    expect(createProxyDispatcher({ env: {} })).toBeUndefined();
    expect(createProxyDispatcher({ env: { HTTPS_PROXY: 'https://u:p@proxy.example:3128', NO_PROXY: 'localhost' } })).toBeDefined();
  });
});
