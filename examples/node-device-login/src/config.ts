// Where the CLI signs in: your tenant when GRAPHWIRE_CLIENT_ID and GRAPHWIRE_TENANT_ID are set,
// else a local OpenID provider and Graph simulator on this machine.
import os from 'node:os';
import path from 'node:path';

export type DeviceLoginConfig =
  | { mode: 'local'; tokenDir: string | undefined }
  | { mode: 'tenant'; clientId: string; tenantId: string; tokenDir: string };

/** Where a real sign-in is kept between runs, unless GRAPHWIRE_TOKEN_DIR says otherwise. */
export const DEFAULT_TOKEN_DIR = path.join(os.homedir(), '.graphwire-example');

export function readConfig(env: NodeJS.ProcessEnv): DeviceLoginConfig {
  const tokenDir = env.GRAPHWIRE_TOKEN_DIR || undefined;
  const { GRAPHWIRE_CLIENT_ID: clientId, GRAPHWIRE_TENANT_ID: tenantId } = env;
  if (!clientId && !tenantId) return { mode: 'local', tokenDir };
  if (!clientId || !tenantId) throw new Error(`Set ${clientId ? 'GRAPHWIRE_TENANT_ID' : 'GRAPHWIRE_CLIENT_ID'} too (or neither, to run locally).`);
  return { mode: 'tenant', clientId, tenantId, tokenDir: tokenDir ?? DEFAULT_TOKEN_DIR };
}
