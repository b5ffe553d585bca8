// Shared set-up for this package's integration tests: a local OpenID provider, a Graph simulator
// that checks the provider's JWTs, and throwaway token directories.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGraphSimulator, type GraphSimulator } from '@graphwire/testing';
import { jwksTokenValidator, startOidcProvider, type OidcProvider, type OidcProviderOptions } from '@graphwire/testing';

export * from '@graphwire/testing';

export interface Rig {
  idp: OidcProvider;
  graph: GraphSimulator;
  /** `sub` of every token the simulator accepted, in order. */
  subjects: string[];
  close(): Promise<void>;
}

export async function startRig(options: OidcProviderOptions = {}): Promise<Rig> {
  const idp = await startOidcProvider(options);
  const validate = jwksTokenValidator(idp);
  const subjects: string[] = [];
  const graph = await startGraphSimulator({
    validateToken: async (token) => {
      const check = await validate(token);
      if (check.valid && check.subject) subjects.push(check.subject);
      return check;
    },
  });
  return { idp, graph, subjects, close: async () => { await graph.close(); await idp.close(); } };
}

/** MSAL settings that point the session at the local provider (plain http, no instance discovery). */
export function localMsal(idp: OidcProvider) {
  return {
    authority: idp.msal.authority,
    msal: { knownAuthorities: idp.msal.knownAuthorities, authorityMetadata: idp.msal.authorityMetadata, protocolMode: idp.msal.protocolMode },
  };
}

export function tempDir(prefix = 'gw-msal-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
