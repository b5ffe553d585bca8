// `npm start`: serves index.html and redirect.html on http://localhost:5190 with their CDN script URLs
// answered from this checkout (the built graphwire.min.js, MSAL's redirect bridge), next to a local
// OpenID provider and Graph simulator, and prints the page's URL with the query string that points
// it at them. Sign in with any user name and password on the provider's page.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jwksTokenValidator, startGraphSimulator, startOidcProvider } from '@graphwire/testing';

const PORTS = { page: 5190, provider: 5191, graph: 5192 };
const CLIENT_ID = 'graphwire-cdn-example';
const example = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(example, '../../packages/msal-browser/dist/graphwire.min.js');
const bridge = join(dirname(createRequire(import.meta.url).resolve('@azure/msal-browser/package.json')), 'lib/redirect-bridge/msal-redirect-bridge.min.js');
if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` at the repository root first`);

// What the CDN would serve, from local files.
const files: Record<string, () => [type: string, body: string]> = {
  '/': () => ['text/html', readFileSync(join(example, 'index.html'), 'utf8')],
  '/redirect.html': () => ['text/html', readFileSync(join(example, 'redirect.html'), 'utf8')],
  '/npm/@graphwire/msal-browser@0.1.0/dist/graphwire.min.js': () => ['text/javascript', readFileSync(bundle, 'utf8')],
  '/npm/@azure/msal-browser@5.30.0/lib/redirect-bridge/msal-redirect-bridge.min.js': () => ['text/javascript', readFileSync(bridge, 'utf8')],
};
const local = (html: string) => html.replaceAll('https://cdn.jsdelivr.net/npm/', '/npm/');

const origins = [`http://localhost:${PORTS.page}`, `http://127.0.0.1:${PORTS.page}`];
const provider = await startOidcProvider({
  port: PORTS.provider,
  spaOrigins: origins,
  clients: [{
    client_id: CLIENT_ID,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: origins.map((o) => `${o}/redirect.html`),
    // A popup sign-out ends on the redirect bridge page.
    post_logout_redirect_uris: origins.map((o) => `${o}/redirect.html`),
    token_endpoint_auth_method: 'none',
  }],
});
const graph = await startGraphSimulator({ port: PORTS.graph, validateToken: jwksTokenValidator(provider) });
const web = createServer((req, res) => {
  const file = files[new URL(req.url ?? '/', 'http://x').pathname];
  if (!file) return void res.writeHead(404).end();
  const [type, body] = file();
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(type === 'text/html' ? local(body) : body);
});
await new Promise<void>((resolve) => web.listen(PORTS.page, '127.0.0.1', resolve));

const query = new URLSearchParams({ clientId: CLIENT_ID, localIssuer: provider.issuer, graphBaseUrl: `${graph.url}/v1.0` });
console.log(`\n  OpenID provider  ${provider.issuer}  (any user name and password)`);
console.log(`  Graph simulator  ${graph.url}/v1.0`);
console.log(`\n  Open http://localhost:${PORTS.page}/?${query}\n  Ctrl+C stops all three.\n`);

const stop = async () => {
  web.closeAllConnections();
  web.close();
  await graph.close();
  await provider.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
