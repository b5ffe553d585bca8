// IndexedDB that starts fine and then refuses writes (a full disk: QuotaExceededError): the store
// falls back to memory with exactly one warning, and token refreshes and Graph calls keep working.
import { describe, expect, test } from 'vitest';
import { appRig } from './support/app-rig.js';
import { loginByPopup } from './support/chromium.js';
import type { App } from './pages/app.js';

declare const app: App;

const rig = appRig();

const ME = { ok: expect.objectContaining({ id: 'user-1' }) };
const WARNING = /^\[@graphwire\/msal-browser\] IndexedDB failed \(QuotaExceededError\): tokens are kept in memory only/;

/** A forced refresh writes the new token to the store; a new Connection then reads it from there. */
async function refreshThenGraph(): Promise<void> {
  const refreshed = await rig.page.evaluate(() => app.refresh());
  expect(refreshed).toEqual({ ok: expect.any(String) });
  await rig.page.evaluate(() => app.reconnect());
  expect(await rig.page.evaluate(() => app.me())).toEqual(ME);
  expect(rig.env.graph.stats.log.at(-1)?.token).toBe('ok' in refreshed ? refreshed.ok : undefined);
}

describe('IndexedDB failing mid-session in Chromium', () => {
  test('with Web Locks: one warning, then memory; refreshes and Graph calls keep working', async () => {
    rig.configure({ databaseName: 'graphwire-failing' });
    await rig.open();
    await loginByPopup(rig.browser.context, rig.page, '#login', 'frank');
    await rig.page.waitForFunction(() => app.loginResult !== undefined, null, { timeout: 30_000 });
    expect(await rig.page.evaluate(() => app.me())).toEqual(ME);
    await refreshThenGraph();
    expect(await rig.page.evaluate(() => app.persistent())).toBe(true);
    expect(await rig.page.evaluate(() => app.warnings)).toEqual([]);

    await rig.page.evaluate(() => app.failIndexedDbWrites());
    rig.env.provider.resetStats();
    await refreshThenGraph();
    expect(await rig.page.evaluate(() => app.persistent())).toBe(false);
    await refreshThenGraph();
    expect(await rig.page.evaluate(() => app.me())).toEqual(ME);
    expect(rig.env.provider.stats.tokenRequests).toEqual({ refresh_token: 2 });
    const warnings = await rig.page.evaluate(() => app.warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(WARNING);
  });

  test('without Web Locks: the IndexedDB lease cannot be written either, and the lock moves to memory', async () => {
    rig.configure({ databaseName: 'graphwire-failing-lease', disableWebLocks: true });
    expect(await rig.open()).toBe('frank@example.test'); // MSAL's account, from localStorage
    expect(await rig.page.evaluate(() => typeof navigator.locks)).toBe('undefined');
    await refreshThenGraph(); // the lease and the token are written to IndexedDB
    expect(await rig.page.evaluate(() => app.persistent())).toBe(true);

    await rig.page.evaluate(() => app.failIndexedDbWrites());
    await refreshThenGraph();
    await refreshThenGraph();
    expect(await rig.page.evaluate(() => app.persistent())).toBe(false);
    const warnings = await rig.page.evaluate(() => app.warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(WARNING);
  });
});
