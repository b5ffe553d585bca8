// The clients compared, each configured as a user would to GET /me and read the JSON, with its
// own bearer token so the stand-in can tell them apart. Libraries are imported only by the
// client that uses them, so a worker process holds one client's code and nothing else.
import { randomUUID } from 'node:crypto';

export const CLIENTS = ['raw fetch A', 'raw fetch B', 'ky', 'graph-client', 'graphwire'];
/** The clients of the storm (429s): the raw fetch control has no retry policy to compare. */
export const STORM_CLIENTS = ['ky', 'graph-client', 'graphwire'];
/** A client's own bearer token in one scenario: the stand-in counts what it saw per token. */
export const tokenOf = (scenario, name) => `${scenario}-${name.replaceAll(' ', '-')}`;

/**
 * @param {string} name one of CLIENTS
 * @param {{ origin: string, token: string, storm?: boolean }} options origin is https://localhost:PORT
 * @returns {Promise<() => Promise<unknown>>} one GET /me, resolving to the parsed JSON
 */
export async function createClient(name, { origin, token, storm = false }) {
  const base = `${origin}/v1.0`;
  const authorization = `Bearer ${token}`;
  if (name === 'raw fetch A' || name === 'raw fetch B') {
    // Two identical clients: the A/A control. B/A shows how much two equal things differ in this run.
    const url = `${base}/me`;
    const headers = { authorization };
    return async () => {
      const response = await fetch(url, { headers });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    };
  }
  if (name === 'ky') {
    const { default: ky } = await import('ky');
    // ky 2: `baseUrl` (ky 1's prefixUrl became `prefix`); a trailing slash so 'me' extends the path.
    // The hook sets client-request-id, as graph-client and graphwire do for every request.
    // In the storm, ky retries 429 after Retry-After (its defaults); only its limit of 2 is raised,
    // so that waiting, not giving up, decides the outcome (graph-client's 3 and graphwire's 3 suffice).
    const client = ky.create({
      baseUrl: `${base}/`,
      headers: { authorization },
      hooks: { beforeRequest: [({ request }) => { request.headers.set('client-request-id', randomUUID()); }] },
      ...(storm ? { retry: { limit: 30 } } : {}),
    });
    return () => client.get('me').json();
  }
  if (name === 'graph-client') {
    const { Client } = await import('@microsoft/microsoft-graph-client');
    // graph-client adds Authorization and SdkVersion only to Graph hosts (https + a known host):
    // customHosts makes the stand-in one (host name without port, as isCustomHost compares it).
    // Its RetryHandler (in the default chain) keeps its defaults: 3 retries, honours Retry-After.
    const client = Client.init({
      authProvider: (done) => done(null, token),
      baseUrl: origin,
      defaultVersion: 'v1.0',
      customHosts: new Set([new URL(origin).hostname]),
    });
    return () => client.api('/me').get();
  }
  if (name === 'graphwire') {
    const { Connection, StaticTokenSession } = await import('@graphwire/core');
    // The base URL's host (with its port) is allowed to receive the token by default; defaults otherwise.
    const con = new Connection({ baseUrl: base, session: new StaticTokenSession(token) });
    return () => con.get('me').json();
  }
  throw new Error(`unknown client ${name}`);
}
