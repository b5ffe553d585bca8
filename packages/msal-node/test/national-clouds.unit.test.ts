// `cloud` picks the sign-in host and the default scope of a national cloud. No host is contacted:
// MSAL's network client here records each request and answers it itself, and MSAL knows these
// authorities' metadata without discovery (the test fails if it ever tries a GET).
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { authorityFor, MemoryTokenStore } from '@graphwire/core';
import { MsalNodeSession, type Cloud } from '@graphwire/msal-node';

/** Microsoft's documented hosts, written out here so a wrong table in the core fails this test. */
const EXPECTED: Record<Cloud, { authority: string; tokenHost: string; scope: string }> = {
  global: { authority: 'https://login.microsoftonline.com/contoso', tokenHost: 'login.microsoftonline.com', scope: 'https://graph.microsoft.com/.default' },
  usgov: { authority: 'https://login.microsoftonline.us/contoso', tokenHost: 'login.microsoftonline.us', scope: 'https://graph.microsoft.us/.default' },
  dod: { authority: 'https://login.microsoftonline.us/contoso', tokenHost: 'login.microsoftonline.us', scope: 'https://dod-graph.microsoft.us/.default' },
  // MSAL sends China's token calls to the preferred alias of login.chinacloudapi.cn (its built-in instance metadata).
  china: { authority: 'https://login.chinacloudapi.cn/contoso', tokenHost: 'login.partner.microsoftonline.cn', scope: 'https://microsoftgraph.chinacloudapi.cn/.default' },
};

class OfflineNetwork implements INetworkModule {
  readonly posts: { url: URL; body: URLSearchParams }[] = [];
  readonly gets: string[] = [];
  async sendGetRequestAsync<T>(url: string): Promise<NetworkResponse<T>> {
    this.gets.push(url);
    throw new Error(`offline test: refused GET ${new URL(url).host}`);
  }
  async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    this.posts.push({ url: new URL(url), body: new URLSearchParams(options?.body ?? '') });
    const body = { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: 'offline-token' };
    return { status: 200, headers: {}, body: body as T };
  }
}

const clouds = Object.keys(EXPECTED) as Cloud[];

describe.each(clouds)('cloud %s', (cloud) => {
  const expected = EXPECTED[cloud];

  it('the authority comes from the core table and the token call goes to that cloud with its default scope', async () => {
    expect(authorityFor(cloud, 'contoso')).toBe(expected.authority);
    const network = new OfflineNetwork();
    const session = new MsalNodeSession({
      clientId: 'app', clientSecret: 'offline-secret', tenantId: 'contoso', ...(cloud === 'global' ? {} : { cloud }),
      tokenStore: new MemoryTokenStore(), msal: { networkClient: network },
    });
    const token = await session.getAccessToken({ scopes: [] }); // no scopes: the session's default
    expect(token.token).toBe('offline-token');
    expect(network.gets).toEqual([]);
    expect(network.posts).toHaveLength(1);
    const [post] = network.posts;
    expect(`${post?.url.origin}${post?.url.pathname}`).toBe(`https://${expected.tokenHost}/contoso/oauth2/v2.0/token`);
    expect(post?.body.get('scope')).toBe(expected.scope);
  });

  it('the authorization URL points at the cloud\'s sign-in host', async () => {
    const network = new OfflineNetwork();
    const session = new MsalNodeSession({
      clientId: 'app', clientSecret: 'offline-secret', tenantId: 'contoso', cloud, flow: 'authorization',
      redirectUri: 'https://app.example/callback', tokenStore: new MemoryTokenStore(), msal: { networkClient: network },
    });
    const { url, flow } = await session.getAuthorizationUrl();
    expect(new URL(url).host).toBe(expected.tokenHost);
    expect(new URL(url).pathname).toBe('/contoso/oauth2/v2.0/authorize');
    expect(flow.scopes).toEqual([expected.scope]);
    expect([...network.gets, ...network.posts]).toEqual([]);
  });
});

it('an explicit authority wins over cloud and tenantId', async () => {
  const network = new OfflineNetwork();
  const session = new MsalNodeSession({
    clientId: 'app', clientSecret: 'offline-secret', tenantId: 'ignored', cloud: 'china', authority: 'https://login.microsoftonline.us/fabrikam',
    tokenStore: new MemoryTokenStore(), msal: { networkClient: network },
  });
  await session.getAccessToken({ scopes: [] });
  expect(network.posts[0]?.url.host).toBe('login.microsoftonline.us');
  expect(network.posts[0]?.url.pathname).toBe('/fabrikam/oauth2/v2.0/token');
  // The default scope still follows `cloud`: the resource is where the Connection sends requests.
  expect(network.posts[0]?.body.get('scope')).toBe(EXPECTED.china.scope);
});
