// `npm run dev`: the app on Vite's dev server, signing in at a local OpenID provider and reading a
// local Graph simulator (both from @graphwire/testing), so it runs with no Azure tenant and no network.
// Sign in with any user name and password on the provider's page.
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { jwksTokenValidator, startGraphSimulator, startOidcProvider } from '@graphwire/testing';
import { LOCAL_DEFAULTS } from '../src/config.js';

const APP_PORT = 5173; // vite.config.ts: server.port, strictPort
const origins = [`http://localhost:${APP_PORT}`, `http://127.0.0.1:${APP_PORT}`];
const issuer = new URL(process.env.VITE_GRAPHWIRE_ISSUER ?? LOCAL_DEFAULTS.issuer);
const graphUrl = new URL(process.env.VITE_GRAPHWIRE_GRAPH_URL ?? LOCAL_DEFAULTS.graphBaseUrl);
const clientId = process.env.VITE_GRAPHWIRE_CLIENT_ID ?? LOCAL_DEFAULTS.clientId;

if (process.env.VITE_GRAPHWIRE_TENANT_ID) {
  throw new Error('VITE_GRAPHWIRE_TENANT_ID is set: for a real tenant run `npm run dev:tenant` (Vite alone)');
}

const provider = await startOidcProvider({
  port: Number(issuer.port),
  spaOrigins: origins,
  clients: [
    {
      client_id: clientId,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: origins.map((o) => `${o}/redirect.html`),
      post_logout_redirect_uris: origins.map((o) => `${o}/`),
      token_endpoint_auth_method: 'none',
    },
  ],
});
// The simulator checks each bearer token's signature, issuer, audience and expiry against the provider.
const graph = await startGraphSimulator({ port: Number(graphUrl.port), validateToken: jwksTokenValidator(provider) });

// Vite hands VITE_* variables from the environment to the app (import.meta.env, see src/config.ts).
Object.assign(process.env, {
  VITE_GRAPHWIRE_CLIENT_ID: clientId,
  VITE_GRAPHWIRE_ISSUER: provider.issuer,
  VITE_GRAPHWIRE_GRAPH_URL: `${graph.url}/v1.0`,
});
const vite = await createServer({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)) });
await vite.listen();

console.log(`\n  OpenID provider  ${provider.issuer}  (any user name and password)`);
console.log(`  Graph simulator  ${graph.url}/v1.0`);
vite.printUrls();
console.log('\n  Open http://localhost:5173/ and sign in. Ctrl+C stops all three.\n');

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await vite.close();
  await graph.close();
  await provider.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
