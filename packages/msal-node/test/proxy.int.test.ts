import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProxy, type ProxyServer } from 'proxy';
import { Connection, MemoryTokenStore } from '@graphwire/core';
import { createNodeFetch, MsalNodeSession } from '@graphwire/msal-node';
import { localMsal, startRig, TEST_CLIENTS, type Rig } from './helpers.js';

const { confidential } = TEST_CLIENTS;

interface RealProxy { url: string; seen: string[]; server: ProxyServer; sockets: Set<Socket> }

/** The npm `proxy` package (a real HTTP/CONNECT proxy), optionally demanding Basic credentials. */
async function startProxy(credentials?: string): Promise<RealProxy> {
  const server = createProxy(http.createServer());
  const seen: string[] = [];
  // CONNECT tunnels are not HTTP connections any more: closeAllConnections() does not end them.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => sockets.add(socket));
  server.on('connect', (req: http.IncomingMessage) => seen.push(`CONNECT ${req.url}`));
  server.on('request', (req: http.IncomingMessage) => seen.push(`${req.method} ${req.url}`));
  if (credentials) {
    server.authenticate = (req) => req.headers['proxy-authorization'] === `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server, sockets };
}

let rig: Rig;
const proxies: RealProxy[] = [];
beforeAll(async () => { rig = await startRig(); });
afterAll(() => rig.close());
afterEach(async () => {
  rig.idp.resetStats();
  for (const p of proxies.splice(0)) {
    for (const socket of p.sockets) socket.destroy();
    await new Promise((resolve) => p.server.close(resolve));
  }
});

const hosts = (p: RealProxy) => [...new Set(p.seen.map((s) => s.split(' ')[1]))].sort();

describe('proxies', () => {
  it('the `proxy` option (with credentials) carries both the token call and the Graph call', async () => {
    const proxy = await startProxy('gw-user:gw-pass');
    proxies.push(proxy);
    const session = new MsalNodeSession({
      clientId: confidential.clientId, clientSecret: confidential.clientSecret, tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp),
      proxy: proxy.url.replace('http://', 'http://gw-user:gw-pass@'),
    });
    const con = new Connection({ session, fetch: session.fetch, baseUrl: `${rig.graph.url}/v1.0`, retries: 0 });
    await con.get('users').json();
    expect(hosts(proxy)).toEqual([`127.0.0.1:${rig.graph.port}`, `localhost:${rig.idp.port}`].sort());
  });

  it('wrong proxy credentials fail the token call with a GraphAuthError', async () => {
    const proxy = await startProxy('gw-user:gw-pass');
    proxies.push(proxy);
    const session = new MsalNodeSession({
      clientId: confidential.clientId, clientSecret: confidential.clientSecret, tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp),
      proxy: proxy.url.replace('http://', 'http://gw-user:wrong@'),
    });
    const error = await session.getAccessToken({ scopes: ['https://graph.microsoft.com/.default'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'GraphAuthError' });
    expect((error as Error).message).not.toContain('wrong');
    expect(rig.idp.grantCount('client_credentials')).toBe(0);
  });

  it('HTTP_PROXY from the environment is used by the session, NO_PROXY exempts hosts', async () => {
    const proxy = await startProxy();
    proxies.push(proxy);
    const saved = { ...process.env };
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = '127.0.0.1';
    try {
      const session = new MsalNodeSession({
        clientId: confidential.clientId, clientSecret: confidential.clientSecret, tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp),
      });
      const con = new Connection({ session, fetch: session.fetch, baseUrl: `${rig.graph.url}/v1.0`, retries: 0 });
      await con.get('users').json();
      // The provider (localhost) went through the proxy; Graph (127.0.0.1) was exempted by NO_PROXY.
      expect(hosts(proxy)).toEqual([`localhost:${rig.idp.port}`]);
    } finally {
      process.env = saved;
    }
  });

  it('createNodeFetch: `proxy: false` goes direct even with HTTPS_PROXY/HTTP_PROXY set', async () => {
    const proxy = await startProxy();
    proxies.push(proxy);
    const env = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
    const viaEnv = await createNodeFetch({ env })(`${rig.graph.url}/v1.0/me`);
    expect(viaEnv.status).toBe(401); // reached the simulator through the proxy, without a token
    expect(proxy.seen).toHaveLength(1);
    const direct = await createNodeFetch({ env, proxy: false })(`${rig.graph.url}/v1.0/me`);
    expect(direct.status).toBe(401);
    expect(proxy.seen).toHaveLength(1);
    expect(direct).toBeInstanceOf(Response);
  });
});
