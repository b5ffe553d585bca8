// Stand-ins for Azure AD and Microsoft Graph on 127.0.0.1: a real OpenID provider whose signed
// tokens the Graph simulator checks, with Graph's throttling switched on.
import { jwksTokenValidator, startGraphSimulator, startOidcProvider, TEST_CLIENTS } from '@graphwire/testing';
import type { GraphSimulator, OidcProvider } from '@graphwire/testing';
import type { ServiceOptions } from './service.js';

export interface LocalTenant {
  idp: OidcProvider;
  graph: GraphSimulator;
  /** What `runService` needs to use them. */
  service: Omit<ServiceOptions, 'print'>;
  close(): Promise<void>;
}

export async function startLocalTenant(): Promise<LocalTenant> {
  const idp = await startOidcProvider();
  const graph = await startGraphSimulator({
    users: 42,
    validateToken: jwksTokenValidator(idp),
    throttle: { limit: 20, windowMs: 1000, retryAfterSeconds: 1 }, // 20 requests a second per token
  });
  return {
    idp,
    graph,
    service: {
      clientId: TEST_CLIENTS.confidential.clientId,
      clientSecret: TEST_CLIENTS.confidential.clientSecret,
      msal: idp.msal,
      baseUrl: `${graph.url}/v1.0`,
      // As on a real tenant: an app-only token has no `me`, so name the user whose drive gets it.
      uploadPath: 'users/user-1/drive/root:/graphwire/users.csv:',
      pageSize: 10, // small pages, so that the paging shows
      simulator: graph,
    },
    close: async () => {
      await graph.close();
      await idp.close();
    },
  };
}
