// graphwire end to end on one machine: MSAL acquires a real signed JWT from a local OpenID provider,
// the Connection calls a local Microsoft Graph that checks it, and the simulator throttles hard.
import { Connection, MemoryTokenStore, isGraphError } from '@graphwire/core';
import { MsalNodeSession } from '@graphwire/msal-node';
import { TEST_CLIENTS, jwksTokenValidator, startGraphSimulator, startOidcProvider } from '@graphwire/testing';

export interface DemoSummary {
  users: number;
  pages: number;
  batched: number;
  uploadedBytes: number;
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

    // 1. Paging: con.paginate follows @odata.nextLink (a token only ever goes to allowed hosts).
    const listing = con.paginate<{ id: string }>('users', { searchParams: { $top: 10 } });
    const ids: string[] = [];
    let pages = 0;
    for await (const page of listing.pages()) {
      ids.push(...page.value.map((user) => user.id));
      pages++;
    }
    const users = ids.length;
    print(`Listed ${users} users in ${pages} pages`);

    // 2. Batching: one request per user, 20 per $batch call, results in input order.
    const batchesBefore = graph.stats.batches;
    const details = await con.batch<{ displayName: string; mail: string }>(
      ids.map((id) => ({ method: 'GET', url: `users/${id}?$select=displayName,mail` })),
      { onProgress: (done, total) => { if (done === total || done % 20 === 0) print(`  batch: ${done}/${total} users fetched`); } },
    );
    print(`Fetched ${details.filter((d) => d.status === 200).length} user details in ${graph.stats.batches - batchesBefore} $batch calls (throttled items sent again after Retry-After)`);

    // 3. Uploads: a CSV report through an upload session, slice by slice, with progress.
    const csv = ['displayName,mail', ...details.map((d) => { const u = d.body as { displayName: string; mail: string }; return `${u.displayName},${u.mail}`; })].join('\n');
    const report = new TextEncoder().encode(csv.repeat(Math.ceil(5_000_000 / csv.length))); // ~5 MB: above the 4 MiB simple-upload limit
    const item = await con.upload<{ name: string; size: number }>('me/drive/root:/reports/users.csv:', report, {
      chunkSize: 320 * 1024 * 5,
      onProgress: (done, total) => print(`  upload: ${Math.round((100 * done) / total)}% (${done} of ${total} bytes)`),
    });
    print(`Uploaded ${item.name} (${item.size} bytes)`);

    // 4. Writes: objects are sent as JSON; errors are typed.
    const list = await con.post('me/todo/lists', { json: { displayName: 'Groceries' } }).json<{ id: string; displayName: string }>();
    await con.patch(`me/todo/lists/${list.id}`, { json: { displayName: 'Shopping' } });
    print(`Created todo list ${list.id}`);
    try {
      await con.get('users/nobody@contoso.test').json();
    } catch (error) {
      if (isGraphError(error)) print(`Missing user → ${error.status} ${error.code} (request-id ${error.requestId})`);
    }

    // 5. Throttling: a stream of 60 requests, one every 10 ms, against a budget of 20 per second.
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
    return { users, pages, batched: details.filter((d) => d.status === 200).length, uploadedBytes: item.size, created: list.displayName, throttledRequests: 60, tooManyRequestsSent: tooMany, tokenRequests };
  } finally {
    await graph.close();
    await idp.close();
  }
}
