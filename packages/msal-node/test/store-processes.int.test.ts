// FileTokenStore across processes: where it lives by default, and a lock whose holder was killed.
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTokenStore } from '@graphwire/msal-node';
import { startChild, type Child } from './child-process.js';
import { tempDir } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });
const mode = (p: string) => statSync(p).mode & 0o777;

describe('default location', () => {
  it('is ~/.graphwire (0700) with 0600 files, for the store and a session\'s default store', { timeout: 60_000 }, async () => {
    const home = tempDir('gw-home-');
    cleanups.push(home.remove);
    const child = startChild({ mode: 'default-location', key: 'msal.app' }, { fixture: 'store-child.ts', env: { HOME: home.dir } });
    const answer = await child.next();
    expect(await child.exited).toBe(0);
    const expected = path.join(home.dir, '.graphwire');
    expect(answer).toMatchObject({ homedir: home.dir, directory: expected, sessionStore: expected });
    expect(path.dirname(String(answer.file))).toBe(expected);
    // Written with umask 0 in the child: the modes are set explicitly.
    expect(mode(expected)).toBe(0o700);
    expect(mode(String(answer.file))).toBe(0o600);
    expect(await new FileTokenStore({ directory: expected }).load('msal.app')).toBe('default-location-value');
  });
});

describe('stale lock', () => {
  const STALE_MS = 4000; // the holder refreshes every 2 s: a 2 s margin for a busy machine
  let holderPid: number | undefined;
  // `startChild` runs tsx, which runs the script in a second process: SIGKILL must reach that one.
  const killHolder = () => {
    if (holderPid !== undefined) {
      try { process.kill(holderPid, 'SIGKILL'); } catch { /* already gone */ }
    }
  };
  afterEach(() => { killHolder(); holderPid = undefined; });
  const gone = async (pid: number) => {
    for (;;) {
      try { process.kill(pid, 0); } catch { return; }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('a lock left by a SIGKILLed process stops blocking others once lockStaleMs has passed', { timeout: 60_000 }, async () => {
    const { dir, remove } = tempDir('gw-lock-');
    cleanups.push(remove);
    const holder: Child = startChild({ mode: 'hold-lock', directory: dir, key: 'k', lockStaleMs: STALE_MS }, { fixture: 'store-child.ts' });
    const held = await holder.next();
    expect(held).toMatchObject({ locked: true });
    holderPid = Number(held.pid);
    const store = new FileTokenStore({ directory: dir, lockStaleMs: STALE_MS });
    const lockDir = `${store.pathFor('k')}.lock`;

    // While the holder lives, the lock holds.
    const impatient = new FileTokenStore({ directory: dir, lockStaleMs: STALE_MS, lockTimeoutMs: 500 });
    await expect(impatient.lock('k', async () => 'got it')).rejects.toMatchObject({ errorCode: 'lock_timeout' });

    killHolder();
    await gone(holderPid);
    const killedAt = Date.now();
    const lastRefresh = statSync(lockDir).mtimeMs;
    const staleAt = lastRefresh + STALE_MS;

    await store.lock('k', async () => store.save('k', 'after takeover'));
    const tookOverAt = Date.now();
    console.info(`stale lock: taken over ${tookOverAt - killedAt} ms after SIGKILL, ${tookOverAt - staleAt} ms after it became stale`);
    expect(tookOverAt).toBeGreaterThanOrEqual(Math.floor(staleAt) - 50); // not before it was stale
    expect(tookOverAt - killedAt).toBeLessThanOrEqual(STALE_MS + 3000); // and not much after
    expect(await store.load('k')).toBe('after takeover');
    expect(() => statSync(lockDir)).toThrow(/ENOENT/);
  });

  it('refuses a lockStaleMs below proper-lockfile\'s 2 s floor', () => {
    const { dir, remove } = tempDir('gw-lock-');
    cleanups.push(remove);
    expect(() => new FileTokenStore({ directory: dir, lockStaleMs: 500 })).toThrow(/^\[@graphwire\/msal-node\] .*lockStaleMs.*at least 2000/);
  });
});
