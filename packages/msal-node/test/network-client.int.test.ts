// Token requests carry secrets: they must not follow redirects or travel over plain http to a remote host.
import { createServer, type Server } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { FetchNetworkClient, createNodeFetch } from '@graphwire/msal-node';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

it('does not re-send a token request to where a redirect points', async () => {
  const received: string[] = [];
  const collector = await listen((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => {
      received.push(body);
      res.end('{}');
    });
  });
  const endpoint = await listen((_req, res) => {
    res.writeHead(307, { location: `${collector}/stolen` });
    res.end();
  });
  const client = new FetchNetworkClient(createNodeFetch({ proxy: false }));
  await expect(
    client.sendPostRequestAsync(`${endpoint}/token`, { body: 'grant_type=client_credentials&client_secret=TOP-SECRET' }),
  ).rejects.toThrow();
  expect(received).toEqual([]);
});

it('refuses plain http to a host that is not loopback, before sending anything', async () => {
  const client = new FetchNetworkClient(createNodeFetch({ proxy: false }));
  const error = await client.sendPostRequestAsync('http://login.example.test/token', { body: 'client_secret=TOP-SECRET' }).catch((e: unknown) => e);
  expect(String((error as Error).message)).toContain('[@graphwire/msal-node] refusing to send a token request over plain http to login.example.test');
  expect(String((error as Error).message)).not.toContain('TOP-SECRET');
});
