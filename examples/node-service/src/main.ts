// npm start: runs the service against your tenant when GRAPHWIRE_CLIENT_ID, GRAPHWIRE_TENANT_ID
// and GRAPHWIRE_CLIENT_SECRET are set, else against a local provider and simulator.
import { readConfig } from './config.js';
import { startLocalTenant } from './local.js';
import { runService } from './service.js';

const config = readConfig(process.env);
if (config.mode === 'tenant') {
  await runService({ ...config.service, print: console.log });
} else {
  const local = await startLocalTenant();
  console.log(`Local OpenID provider ${local.idp.issuer}, Graph simulator ${local.graph.url}`);
  try {
    await runService({ ...local.service, print: console.log });
    console.log(`Token requests to the provider: ${local.idp.grantCount('client_credentials')} (one token, reused from memory)`);
  } finally {
    await local.close();
  }
}
