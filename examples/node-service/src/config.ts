// Where the service runs: your tenant when GRAPHWIRE_CLIENT_ID / _TENANT_ID / _CLIENT_SECRET are
// set, else a local OpenID provider and Graph simulator on this machine.
import type { ServiceOptions } from './service.js';

export type ServiceConfig =
  | { mode: 'local' }
  | { mode: 'tenant'; service: Omit<ServiceOptions, 'print'> };

const CREDENTIALS = ['GRAPHWIRE_CLIENT_ID', 'GRAPHWIRE_TENANT_ID', 'GRAPHWIRE_CLIENT_SECRET'] as const;

export function readConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const given = CREDENTIALS.filter((name) => env[name]);
  if (given.length === 0) return { mode: 'local' };
  const missing = CREDENTIALS.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`Set ${missing.join(' and ')} too (or none of ${CREDENTIALS.join(', ')} to run locally).`);
  const service = {
    clientId: env.GRAPHWIRE_CLIENT_ID!,
    tenantId: env.GRAPHWIRE_TENANT_ID!,
    clientSecret: env.GRAPHWIRE_CLIENT_SECRET!,
    uploadPath: uploadPath(env),
  };
  return { mode: 'tenant', service };
}

/** An app-only token has no signed-in user, hence no `me/drive`: the report goes to a named drive. */
function uploadPath(env: NodeJS.ProcessEnv): string {
  if (env.GRAPHWIRE_UPLOAD_PATH) {
    if (!env.GRAPHWIRE_UPLOAD_PATH.endsWith(':')) throw new Error('GRAPHWIRE_UPLOAD_PATH is a drive path ending in ":", e.g. drives/{drive-id}/root:/graphwire/users.csv:');
    return env.GRAPHWIRE_UPLOAD_PATH;
  }
  if (env.GRAPHWIRE_UPLOAD_USER) return `users/${env.GRAPHWIRE_UPLOAD_USER}/drive/root:/graphwire/users.csv:`;
  throw new Error('Set GRAPHWIRE_UPLOAD_USER (the id or user principal name whose OneDrive gets the report) or GRAPHWIRE_UPLOAD_PATH.');
}
