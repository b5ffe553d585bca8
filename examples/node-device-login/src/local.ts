// Stand-ins for Azure AD and Microsoft Graph on 127.0.0.1: a real OpenID provider with the device
// code flow, and the Graph simulator checking its signed tokens. Nobody is at a browser here, so a
// scripted user (signInAs from @graphwire/testing) opens the verification page, enters the code and
// signs in, the way a person would.
import { jwksTokenValidator, signInAs, startGraphSimulator, startOidcProvider, TEST_CLIENTS, testUsername } from '@graphwire/testing';
import type { GraphSimulator, OidcProvider } from '@graphwire/testing';
import type { DeviceLoginOptions } from './device-login.js';

export interface LocalTenant {
  idp: OidcProvider;
  graph: GraphSimulator;
  /** What `runDeviceLogin` needs to use them (add `tokenDir`). */
  login: Omit<DeviceLoginOptions, 'tokenDir' | 'print'>;
  close(): Promise<void>;
}

/** The account the scripted user signs in as; its token's subject is `alice`. */
const LOGIN = 'alice';

export async function startLocalTenant(print: (line: string) => void = console.log): Promise<LocalTenant> {
  const idp = await startOidcProvider();
  const graph = await startGraphSimulator({
    validateToken: jwksTokenValidator(idp),
    me: { displayName: 'Alice Example', mail: testUsername(LOGIN), userPrincipalName: testUsername(LOGIN) },
  });
  return {
    idp,
    graph,
    login: {
      clientId: TEST_CLIENTS.public.clientId,
      msal: idp.msal,
      baseUrl: `${graph.url}/v1.0`,
      completeSignIn: async (info) => {
        print(`  (a scripted user opens that page, enters the code and signs in as ${LOGIN})`);
        await signInAs(info.verificationUri, { login: LOGIN, userCode: info.userCode });
      },
    },
    close: async () => {
      await graph.close();
      await idp.close();
    },
  };
}
