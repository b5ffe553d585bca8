// npm start: against your tenant (GRAPHWIRE_CLIENT_ID, GRAPHWIRE_TENANT_ID) a person completes the
// device code sign-in once, and later runs reuse the tokens in GRAPHWIRE_TOKEN_DIR. Locally, one
// process shows both runs: the local provider's tokens are worthless once it stops, so they go to
// a temporary directory (or GRAPHWIRE_TOKEN_DIR) that only lives as long as the provider.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readConfig } from './config.js';
import { runDeviceLogin } from './device-login.js';
import { startLocalTenant } from './local.js';

const config = readConfig(process.env);
if (config.mode === 'tenant') {
  await runDeviceLogin({ clientId: config.clientId, tenantId: config.tenantId, tokenDir: config.tokenDir });
} else {
  const tokenDir = config.tokenDir ?? mkdtempSync(path.join(os.tmpdir(), 'graphwire-device-'));
  const local = await startLocalTenant();
  console.log(`Local OpenID provider ${local.idp.issuer}, Graph simulator ${local.graph.url}`);
  try {
    console.log('\nRun 1: nothing saved yet');
    await runDeviceLogin({ ...local.login, tokenDir });
    console.log('\nRun 2: a new session on the same token directory');
    await runDeviceLogin({ ...local.login, tokenDir });
    console.log(`\nDevice code requests at the provider: ${local.idp.stats.deviceAuthorizations} (the second run needed none)`);
  } finally {
    await local.close();
    if (!config.tokenDir) rmSync(tokenDir, { recursive: true, force: true });
  }
}
