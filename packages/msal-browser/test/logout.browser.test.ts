// Logout by popup and by redirect against the local provider: the account's IndexedDB entry is
// gone, accounts() no longer lists it, and the next Graph call needs a new sign-in.
import { describe, expect, test } from 'vitest';
import { appRig } from './support/app-rig.js';
import { completeLogin, confirmLogout, loginByPopup } from './support/chromium.js';
import type { App } from './pages/app.js';

declare const app: App;

const rig = appRig({ interaction: 'popup' });

const ME = { ok: expect.objectContaining({ id: 'user-1' }) };

async function storedEntry(homeAccountId: string | null): Promise<string> {
  expect(homeAccountId).toMatch(/./);
  return (await rig.page.evaluate((key) => app.rawStored(key), `graphwire.at.graphwire-spa.${homeAccountId}`)).kind;
}

describe('logout in Chromium', () => {
  test('by popup: the entry and the account are gone, and the next Graph call opens a sign-in popup', async () => {
    await rig.open();
    await loginByPopup(rig.browser.context, rig.page, '#login', 'erin');
    await rig.page.waitForFunction(() => app.loginResult !== undefined, null, { timeout: 30_000 });
    expect(await rig.page.evaluate(() => app.me())).toEqual(ME);
    const homeAccountId = await rig.page.evaluate(() => app.homeAccountId());
    expect(await storedEntry(homeAccountId)).toBe('string');

    const [popup, outcome] = await Promise.all([
      rig.browser.context.waitForEvent('page', { timeout: 20_000 }).then(async (p) => {
        await confirmLogout(p);
        return p;
      }),
      rig.page.evaluate(() => app.logout('popup')),
    ]);
    expect(outcome).toEqual({ ok: null });
    await expect.poll(() => popup.isClosed(), { timeout: 20_000 }).toBe(true); // the bridge page reported back and closed it
    expect(await storedEntry(homeAccountId)).toBe('undefined');
    expect(await rig.page.evaluate(() => app.accounts())).toEqual([]);
    expect(await rig.page.evaluate(() => app.homeAccountId())).toBeNull();

    // The provider's session ended too: the popup asks for credentials again, then Graph answers.
    rig.env.provider.resetStats();
    const [signIn, me] = await Promise.all([
      rig.browser.context.waitForEvent('page', { timeout: 20_000 }).then((p) => completeLogin(p, 'erin')),
      rig.page.evaluate(() => app.me()),
    ]);
    expect(signIn).toBeUndefined();
    expect(me).toEqual(ME);
    expect(rig.env.provider.stats.tokensIssued.authorization_code).toBe(1);
    expect(await rig.page.evaluate(() => app.accounts())).toEqual(['erin@example.test']);
  });

  test('by redirect: back on the app nobody is signed in, and the next Graph call rejects with the typed redirect error', async () => {
    rig.configure({ interaction: 'redirect' });
    expect(await rig.open()).toBe('erin@example.test');
    expect(await rig.page.evaluate(() => app.me())).toEqual(ME);
    const homeAccountId = await rig.page.evaluate(() => app.homeAccountId());
    expect(await storedEntry(homeAccountId)).toBe('string');

    await rig.page.evaluate(() => {
      void app.logout().then((r) => sessionStorage.setItem('logoutResult', JSON.stringify(r)));
    });
    await rig.page.waitForURL((url) => url.origin === rig.env.provider.issuer, { timeout: 20_000 });
    await confirmLogout(rig.page);
    await rig.page.waitForURL((url) => url.origin === rig.web.origin && url.pathname === '/', { timeout: 20_000 });
    expect(await rig.page.evaluate(() => app.ready)).toBeNull();
    expect(JSON.parse((await rig.page.evaluate(() => sessionStorage.getItem('logoutResult'))) ?? 'null')).toEqual({ ok: null });
    expect(await storedEntry(homeAccountId)).toBe('undefined');
    expect(await rig.page.evaluate(() => app.accounts())).toEqual([]);

    rig.env.graph.reset();
    await rig.page.evaluate(() => {
      void app.me().then((r) => sessionStorage.setItem('meResult', JSON.stringify(r)));
    });
    await rig.page.waitForURL((url) => url.origin === rig.env.provider.issuer, { timeout: 20_000 });
    await rig.page.waitForSelector('input[name="login"]', { timeout: 20_000 }); // a real sign-in, not a silent SSO
    await rig.page.goto(`${rig.web.origin}/`);
    const outcome = JSON.parse((await rig.page.evaluate(() => sessionStorage.getItem('meResult'))) ?? 'null');
    expect(outcome).toEqual({ error: expect.objectContaining({ errorCode: 'redirect_in_progress', graphAuth: true, redirect: true }) });
    expect(rig.env.graph.stats.log).toEqual([]); // nothing reached Graph, with or without a token
  });

  test('no request left the machine', () => {
    expect(rig.browser.blocked.filter((u) => !u.includes('fonts.googleapis'))).toEqual([]);
  });
});
