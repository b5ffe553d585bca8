// graphwire end to end on one machine: MSAL acquires a real signed JWT from a local OpenID provider,
// the Connection calls a local Microsoft Graph that checks it, and the simulator throttles hard.
import { Connection, MemoryTokenStore, isGraphError } from '@graphwire/core';
import { MsalNodeSession } from '@graphwire/msal-node';
import { TEST_CLIENTS, jwksTokenValidator, startGraphSimulator, startOidcProvider } from '@graphwire/testing';

export interface DemoSummary {
  users: number;
  pages: number;
  created: string;
  throttledRequests: number;
  tooManyRequestsSent: number;
  tokenRequests: number;
}

export async function runDemo(print: (line: string) => void = console.log): Promise<DemoSummary> {
  const idp = await startOidcProvider();
  const graph = await startGraphSimulator({
    users: 42,
    validateToken: jwksTokenValidator(idp),
    throttle: { limit: 20, windowMs: 1000, retryAfterSeconds: 1 }, // Graph's "too many requests"
  });
  print(`OpenID provider ${idp.issuer}, Graph simulator ${graph.url}`);
  try {
    const session = new MsalNodeSession({
      clientId: TEST_CLIENTS.confidential.clientId,
      clientSecret: TEST_CLIENTS.confidential.clientSecret,
      authority: idp.msal.authority,
      msal: idp.msal,
      tokenStore: new MemoryTokenStore(),
    });
    const con = new Connection({ session, fetch: session.fetch, baseUrl: `${graph.url}/v1.0` });

    // 1. Paging: follow @odata.nextLink until the last page.
    let url: string | undefined = 'users?$top=10';
    let users = 0;
    let pages = 0;
    while (url) {
      const page: { value: unknown[]; '@odata.nextLink'?: string } = await con.get(url).json();
      users += page.value.length;
      pages++;
      url = page['@odata.nextLink'];
    }
    print(`Listed ${users} users in ${pages} pages`);

    // 2. Writes: objects are sent as JSON; errors are typed.
    const list = await con.post('me/todo/lists', { json: { displayName: 'Groceries' } }).json<{ id: string; displayName: string }>();
    await con.patch(`me/todo/lists/${list.id}`, { json: { displayName: 'Shopping' } });
    print(`Created todo list ${list.id}`);
    try {
      await con.get('users/nobody@contoso.test').json();
    } catch (error) {
      if (isGraphError(error)) print(`Missing user → ${error.status} ${error.code} (request-id ${error.requestId})`);
    }

    // 3. Throttling: a stream of 60 requests, one every 10 ms, against a budget of 20 per second.
    //    The first 429 pauses the whole connection until Retry-After, so the requests started during
    //    the pause wait instead of each drawing its own 429.
    const before = graph.stats.throttled;
    const started = Date.now();
    const stream: Array<Promise<unknown>> = [];
    for (let i = 0; i < 60; i++) {
      stream.push(con.get(`users/user-${(i % 42) + 1}`).json());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(stream);
    const tooMany = graph.stats.throttled - before;
    print(`60 requests under a 20/s budget finished in ${Date.now() - started} ms; the simulator sent ${tooMany} × 429`);

    const tokenRequests = idp.stats.tokenRequests.client_credentials ?? 0;
    print(`Token endpoint calls: ${tokenRequests} (one token, reused from memory)`);
    await con.close();
    return { users, pages, created: list.displayName, throttledRequests: 60, tooManyRequestsSent: tooMany, tokenRequests };
  } finally {
    await graph.close();
    await idp.close();
  }
}
