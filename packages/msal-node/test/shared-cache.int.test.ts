import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '@graphwire/core';
import { FileTokenStore, MsalNodeSession } from '@graphwire/msal-node';
import { startChild } from './child-process.js';
import { localMsal, startRig, tempDir, TEST_CLIENTS, TEST_USER_PASSWORD, testUsername, type Rig } from './helpers.js';

const SCOPES = ['User.Read'];
const clientId = TEST_CLIENTS.public.clientId;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// msal-node treats a token as expired 300 s before `exp`: a 302 s lifetime is a 2 s one for MSAL.
const TTL = 302;
const LIFE_MS = (TTL - 300) * 1000;

let rig: Rig;
let longRig: Rig; // hour-long tokens: for tests that must not see an expiry while processes start
beforeAll(async () => { [rig, longRig] = await Promise.all([startRig({ accessTokenTTL: TTL }), startRig()]); });
afterAll(() => Promise.all([rig.close(), longRig.close()]));

function passwordSession(dir: string, user: string, r = rig) {
  return new MsalNodeSession({
    clientId, flow: 'password', username: testUsername(user), password: TEST_USER_PASSWORD, scopes: SCOPES,
    tokenStore: new FileTokenStore({ directory: dir }), ...localMsal(r.idp),
  });
}

function childInput(dir: string, extra: Record<string, unknown>, r = rig) {
  return { dir, clientId, password: TEST_USER_PASSWORD, scopes: SCOPES, ...localMsal(r.idp), ...extra };
}

describe('FileTokenStore shared through MSAL', () => {
  it('refreshes an expired token with the refresh token, once, and Graph accepts the new one', async () => {
    const { dir, remove } = tempDir();
    try {
      const session = passwordSession(dir, 'rita');
      const con = new Connection({ session, scopes: SCOPES, baseUrl: `${rig.graph.url}/v1.0`, retries: 0 });
      const first = await session.getAccessToken({ scopes: SCOPES });
      rig.idp.resetStats();
      expect((await session.getAccessToken({ scopes: SCOPES })).token).toBe(first.token);
      // MSAL compares whole seconds, so expiry can come up to a second after LIFE_MS.
      await sleep(LIFE_MS + 1300);
      const second = await session.getAccessToken({ scopes: SCOPES });
      expect(second.token).not.toBe(first.token);
      expect(rig.idp.stats.tokenRequests).toEqual({ refresh_token: 1 });
      await con.get('me').json();
      expect(rig.graph.stats.tokensSeen).toContain(second.token);
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect(mode(dir)).toBe(0o700);
      expect(mode(new FileTokenStore({ directory: dir }).pathFor(`msal.${clientId}`))).toBe(0o600);
    } finally {
      remove();
    }
  });

  it('a fresh process reuses the cached token without any call to the provider', async () => {
    const { dir, remove } = tempDir();
    try {
      const { idp } = longRig;
      const token = await passwordSession(dir, 'fred', longRig).getAccessToken({ scopes: SCOPES });
      idp.resetStats();
      const child = startChild(childInput(dir, { mode: 'once', username: testUsername('fred'), graphUrl: longRig.graph.url }, longRig));
      const answer = await child.next();
      expect(answer.token).toBe(token.token);
      expect(answer.me).toBeTruthy();
      expect(idp.stats.requests).toBe(0);
      expect(await child.exited).toBe(0);
    } finally {
      remove();
    }
  });
});

describe('eight processes hammering one FileTokenStore', () => {
  it('keep the file parseable, lose no account, and refresh once per expiry', { timeout: 90_000 }, async () => {
    const { dir, remove } = tempDir();
    const WORKERS = 8;
    const DURATION_MS = 6000;
    const children: ReturnType<typeof startChild>[] = [];
    try {
      await passwordSession(dir, 'shared').getAccessToken({ scopes: SCOPES });
      for (let i = 0; i < WORKERS; i++) {
        children.push(startChild(childInput(dir, {
          mode: 'hammer', username: testUsername('shared'), ownUsername: testUsername(`worker${i}`), durationMs: DURATION_MS,
        })));
      }
      // Start all together, after the slow part (loading TypeScript and MSAL) is over everywhere.
      for (const child of children) expect(await child.next()).toEqual({ ready: true });
      rig.idp.resetStats();
      const started = Date.now();
      for (const child of children) child.process.stdin?.write('go\n');

      // Meanwhile this process reads the file as a third party would, as fast as it can.
      const store = new FileTokenStore({ directory: dir });
      const file = store.pathFor(`msal.${clientId}`);
      let reads = 0;
      const results: Promise<Record<string, unknown>[]> = Promise.all(children.map((c) => c.next()));
      let done = false;
      void results.finally(() => { done = true; });
      while (!done) {
        JSON.parse(readFileSync(file, 'utf8'));
        JSON.parse((await store.load(`msal.${clientId}`)) ?? '');
        reads += 1;
        await sleep(5);
      }
      const reports = await results;
      const elapsed = Date.now() - started;

      expect(reports.every((r) => r.unparsable === 0)).toBe(true);
      expect(reads).toBeGreaterThan(50);
      const calls = reports.reduce((n, r) => n + Number(r.calls), 0);
      expect(calls).toBeGreaterThan(WORKERS * 10);

      const accounts = await passwordSession(dir, 'shared').accounts();
      expect(accounts.map((a) => a.username).sort()).toEqual(
        [testUsername('shared'), ...Array.from({ length: WORKERS }, (_, i) => testUsername(`worker${i}`))].sort(),
      );

      // Each worker signed its own account in once; the shared account was refreshed once per 2 s
      // expiry window, not once per process (unlocked, that would be up to 8 per window).
      expect(rig.idp.grantCount('password')).toBe(WORKERS);
      const windows = Math.ceil(elapsed / LIFE_MS);
      const refreshes = rig.idp.grantCount('refresh_token');
      expect(refreshes).toBeGreaterThanOrEqual(Math.floor(DURATION_MS / LIFE_MS) - 1);
      expect(refreshes).toBeLessThanOrEqual(windows + 1);
      const distinct = reports.map((r) => Number(r.distinctTokens));
      expect(Math.max(...distinct)).toBeLessThanOrEqual(refreshes + 1);
      console.info(`hammer: ${calls} getAccessToken calls, ${reads} parent reads, ${refreshes} refreshes in ${elapsed} ms`);
    } finally {
      for (const child of children) child.process.kill();
      remove();
    }
  });
});
