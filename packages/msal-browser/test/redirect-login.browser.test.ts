// Redirect sign-in: login() rejects with RedirectInProgressError (never resolves undefined), the
// page goes to the provider and back through the bridge page, and initialize() completes it.
import { describe, expect, test } from 'vitest';
import { appRig } from './support/app-rig.js';
import { completeLogin } from './support/chromium.js';
import type { App } from './pages/app.js';

declare const app: App;

const rig = appRig({ interaction: 'redirect' });

describe('redirect sign-in in Chromium', () => {
  test('login() rejects with a typed redirect error, the page returns signed in, and Graph answers', async () => {
    const page = rig.page;
    expect(await rig.open()).toBeNull();

    await page.click('#login');
    await page.waitForURL((url) => url.origin === rig.env.provider.issuer, { timeout: 20_000 });
    await completeLogin(page, 'dave');
    await page.waitForURL((url) => url.origin === rig.web.origin && url.pathname === '/', { timeout: 20_000 });
    expect(await page.evaluate(() => app.ready)).toBe('dave@example.test');

    // What login() did before the page left: a typed rejection, never a resolved undefined.
    const loginOutcome = JSON.parse((await page.evaluate(() => sessionStorage.getItem('loginResult'))) ?? 'null');
    expect(loginOutcome).toEqual({
      error: expect.objectContaining({ errorCode: 'redirect_in_progress', graphAuth: true, redirect: true }),
    });
    expect(loginOutcome.error.message).toMatch(/^\[@graphwire\/msal-browser\] a redirect/);
    expect(rig.env.provider.stats.tokensIssued.authorization_code).toBe(1);

    expect(await page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(rig.env.graph.stats.log.at(-1)?.authorized).toBe(true);
  });

  test('a token request with nobody signed in starts a redirect and rejects, never resolving undefined', async () => {
    await rig.browser.context.clearCookies();
    const page = await rig.browser.context.newPage();
    await rig.open('/', page);
    await page.evaluate(async () => {
      localStorage.clear();
      sessionStorage.clear();
    });
    await page.reload();
    expect(await page.evaluate(() => app.ready)).toBeNull();
    // The page leaves for the provider right after the rejection: keep the outcome in sessionStorage.
    await page.evaluate(() => {
      void app.me().then((r) => sessionStorage.setItem('meResult', JSON.stringify(r)));
    });
    await page.waitForURL((url) => url.origin === rig.env.provider.issuer, { timeout: 20_000 });
    await page.goto(`${rig.web.origin}/`);
    const outcome = JSON.parse((await page.evaluate(() => sessionStorage.getItem('meResult'))) ?? 'null');
    expect(outcome).toEqual({ error: expect.objectContaining({ errorCode: 'redirect_in_progress', graphAuth: true, redirect: true }) });
    expect(rig.env.graph.stats.log.filter((r) => !r.authorized)).toEqual([]); // no request went out without a token
    await page.close();
  });
});
