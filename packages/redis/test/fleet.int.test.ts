// Eight Node processes, each an instance of a service (MsalNodeSession, client credentials, with a
// RedisTokenStore; a Connection to the Graph simulator, optionally a RedisThrottleChannel), sharing
// one real redis-server, against the local OpenID provider. Counted where it happens: token
// requests at the provider, 429s at the simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jwksTokenValidator, startGraphSimulator, startOidcProvider, TEST_CLIENTS, type GraphSimulator, type OidcProvider,
} from '@graphwire/testing';
import { killPid, startChild, type Child } from './child-process.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

const WORKERS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Report = { ok: number; failed: number; failures: string[]; elapsed: number; log: string[] };

let redis: RedisServer;
let children: Child[] = [];
const closers: (() => Promise<void>)[] = [];

async function rig(accessTokenTTL: number, throttle?: { limit: number; windowMs: number; retryAfterSeconds: number }) {
  const idp = await startOidcProvider({ accessTokenTTL });
  const graph = await startGraphSimulator({ validateToken: jwksTokenValidator(idp), ...(throttle ? { throttle } : {}) });
  closers.push(() => graph.close(), () => idp.close());
  return { idp, graph };
}

function runOf(idp: OidcProvider, graph: GraphSimulator, keyPrefix: string, extra: Record<string, unknown>) {
  return {
    redisUrl: redis.url, keyPrefix, graphUrl: graph.url,
    clientId: TEST_CLIENTS.confidential.clientId, clientSecret: TEST_CLIENTS.confidential.clientSecret,
    authority: idp.msal.authority,
    msal: { knownAuthorities: idp.msal.knownAuthorities, authorityMetadata: idp.msal.authorityMetadata, protocolMode: idp.msal.protocolMode },
    ...extra,
  };
}

/** Sets the run up in every child, starts them together, and returns their reports. */
async function fleet(run: Record<string, unknown>, during?: () => Promise<void>, count = WORKERS): Promise<Report[]> {
  const some = children.slice(0, count);
  for (const c of some) c.send(run);
  for (const c of some) expect(await c.next()).toEqual({ ready: true });
  for (const c of some) c.send('go');
  const reports = Promise.all(some.map((c) => c.next())) as Promise<unknown> as Promise<Report[]>;
  await during?.();
  return reports;
}

beforeAll(async () => {
  redis = await startRedisServer();
  children = Array.from({ length: WORKERS }, () => startChild('fleet-child.ts', {}));
  // Loading TypeScript, MSAL and node-redis is the slow part: done once per process for the whole file.
  await Promise.all(children.map((c) => c.next()));
}, 60_000);
afterAll(async () => {
  for (const c of children) { c.send('exit'); killPid(c.process.pid); }
  for (const close of closers) await close();
  await redis.close();
});

describe('eight instances sharing one RedisTokenStore', () => {
  it('on an empty cache, 8 × 100 Graph calls make exactly 1 token request', { timeout: 60_000 }, async () => {
    const { idp, graph } = await rig(3600);
    const reports = await fleet(runOf(idp, graph, 'empty:', { calls: 100 }));
    expect(reports.map((r) => r.failed)).toEqual(Array(WORKERS).fill(0));
    expect(reports.reduce((n, r) => n + r.ok, 0)).toBe(800);
    expect(idp.stats.tokenRequests).toEqual({ client_credentials: 1 });
    expect(new Set(graph.stats.tokensSeen).size).toBe(1);
    console.info(`empty cache: 800 Graph calls from ${WORKERS} processes, token requests ${JSON.stringify(idp.stats.tokenRequests)}`);
  });

  it('with 10 s tokens over 25 s, exactly 1 token request per expiry across all 8', { timeout: 90_000 }, async () => {
    const LIFE_MS = 10_000; // msal-node treats a token as expired 300 s early: 310 s is 10 s
    const { idp, graph } = await rig(310);
    const reports = await fleet(runOf(idp, graph, 'refresh:', { durationMs: 25_000, intervalMs: 50 }));
    expect(reports.map((r) => r.failed)).toEqual(Array(WORKERS).fill(0));
    const longest = Math.max(...reports.map((r) => r.elapsed));
    const grants = idp.grantCount('client_credentials');
    console.info(`10 s tokens: ${reports.reduce((n, r) => n + r.ok, 0)} Graph calls over ${longest} ms, token requests ${JSON.stringify(idp.stats.tokenRequests)}, tokens seen by Graph ${new Set(graph.stats.tokensSeen).size}`);
    expect(grants).toBe(1 + Math.floor(longest / LIFE_MS)); // the first one, then one per expiry
    expect(new Set(graph.stats.tokensSeen).size).toBe(grants);
  });
});

describe('eight instances sharing one RedisThrottleChannel', () => {
  it('a 429 drawn by one pauses the others: far fewer 429s than without the channel', { timeout: 90_000 }, async () => {
    const CALLS = 10;
    // The simulator's budget is per token, and the fleet shares one: 24 per second for 8, or 3 for one alone.
    // Each instance calls every 100–300 ms at random, as independent clients do. Instances calling in
    // step reach Graph in bursts of 8, and every request of a burst that lands within the pause's trip
    // through Redis (a few ms here, tens on a loaded CI machine) draws a 429 of its own: the count
    // would measure the machine's load (a CI run drew 11, against 4–6 here).
    const fleetRig = await rig(3600, { limit: 24, windowMs: 1000, retryAfterSeconds: 1 });
    const aloneRig = await rig(3600, { limit: 3, windowMs: 1000, retryAfterSeconds: 1 });
    const counts: Record<string, number> = {};
    for (const [name, r, channel, n] of [
      ['alone', aloneRig, false, 1], ['without', fleetRig, false, WORKERS], ['with', fleetRig, true, WORKERS],
    ] as const) {
      r.graph.reset();
      const reports = await fleet(runOf(r.idp, r.graph, 'throttle:', { calls: CALLS, intervalMs: 200, jitter: true, channel, channelName: `throttle-${name}` }), undefined, n);
      expect(reports.map((x) => x.failed)).toEqual(Array(n).fill(0));
      counts[name] = r.graph.stats.throttled;
    }
    console.info(`429s: one process alone ${counts.alone}, 8 without the channel ${counts.without}, 8 with it ${counts.with} (8 × alone = ${8 * counts.alone!})`);
    expect(counts.alone).toBeGreaterThan(0);
    expect(counts.with).toBeLessThan(counts.without! / 2);
    expect(counts.with).toBeLessThan((8 * counts.alone!) / 2);
  });
});

describe('Redis stopped mid-run', () => {
  it('fails no Graph call, logs one warning and one recovery line per instance, and sharing resumes', { timeout: 60_000 }, async () => {
    const LIFE_MS = 2000; // 302 s tokens: 2 s for msal-node
    const { idp, graph } = await rig(302);
    let atRestart = 0;
    const reports = await fleet(runOf(idp, graph, 'outage:', { durationMs: 7000, intervalMs: 20 }), async () => {
      await sleep(1500);
      await redis.stop();
      await sleep(2500);
      await redis.start();
      await sleep(300); // clients reconnect every 50 ms
      atRestart = idp.grantCount('client_credentials');
    });
    const after = idp.grantCount('client_credentials') - atRestart;
    const calls = reports.reduce((n, r) => n + r.ok, 0);
    console.info(`outage: ${calls} Graph calls, ${reports.reduce((n, r) => n + r.failed, 0)} failed; token requests ${atRestart} up to the restart, ${after} after it; logs ${JSON.stringify(reports.map((r) => r.log.map((l) => l.split(' ')[0])))}`);
    expect(reports.map((r) => r.failed)).toEqual(Array(WORKERS).fill(0));
    expect(calls).toBeGreaterThan(WORKERS * 50);
    for (const r of reports) {
      // One outage warning; besides it only "outage change dropped" lines (the restarted Redis is empty, not what was last seen).
      expect(r.log.filter((l) => l.startsWith('warn') && !/in the outage was dropped/.test(l))).toHaveLength(1);
      expect(r.log.filter((l) => l.startsWith('info'))).toHaveLength(1);
      expect(r.log[0]).toMatch(/^warn \[@graphwire\/redis\] RedisTokenStore: Redis is unavailable/);
    }
    // Shared again after the restart: one request per 2 s expiry, not one per instance.
    expect(after).toBeLessThanOrEqual(Math.ceil(3200 / LIFE_MS) + 1); // ~3 s left after the restart
  });
});
