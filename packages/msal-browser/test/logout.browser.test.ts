// Logout by popup and by redirect against the local provider: the account's IndexedDB entry is
// gone, accounts() no longer lists it, and the next Graph call needs a new sign-in.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { completeLogin, confirmLogout, launchChromium, loginByPopup, type Browser } from './support/chromium.js';
import { appHtml, pageConfig, REDIRECT_HTML, startEnvironment, type Environment } from './support/environment.js';
import { bundlePages, startWebServer, type WebServer } from './support/web-server.js';
import type { App } from './pages/app.js';

declare const app: App;

let browser: Browser;
let web: WebServer;
let env: Environment;
let page: Page;
let interaction: 'popup' | 'redirect' = 'popup';

beforeAll(async () => {
  const scripts = await bundlePages();
  web = await startWebServer(
    {
      '/index.html': () => appHtml(pageConfig(env, { interaction })),
      '/redirect.html': () => REDIRECT_HTML,
    },
    scripts,
  );
  env = await startEnvironment([web.origin]);
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
  await web?.close();
});

const ME = { ok: expect.objectContaining({ id: 'user-1' }) };

async function storedEntry(homeAccountId: string | null): Promise<string> {
  expect(homeAccountId).toMatch(/./);
  return (await page.evaluate((key) => app.rawStored(key), `graphwire.at.graphwire-spa.${homeAccountId}`)).kind;
}

describe('logout in Chromium', () => {
  test('by popup: the entry and the account are gone, and the next Graph call opens a sign-in popup', async () => {
    await page.goto(`${web.origin}/`);
    await page.evaluate(() => app.ready);
    await loginByPopup(browser.context, page, '#login', 'erin');
    await page.waitForFunction(() => app.loginResult !== undefined, null, { timeout: 30_000 });
    expect(await page.evaluate(() => app.me())).toEqual(ME);
    const homeAccountId = await page.evaluate(() => app.homeAccountId());
    expect(await storedEntry(homeAccountId)).toBe('string');

    const [popup, outcome] = await Promise.all([
      browser.context.waitForEvent('page', { timeout: 20_000 }).then(async (p) => {
        await confirmLogout(p);
        return p;
      }),
      page.evaluate(() => app.logout('popup')),
    ]);
    expect(outcome).toEqual({ ok: null });
    await expect.poll(() => popup.isClosed(), { timeout: 20_000 }).toBe(true); // the bridge page reported back and closed it
    expect(await storedEntry(homeAccountId)).toBe('undefined');
    expect(await page.evaluate(() => app.accounts())).toEqual([]);
    expect(await page.evaluate(() => app.homeAccountId())).toBeNull();

    // The provider's session ended too: the popup asks for credentials again, then Graph answers.
    env.provider.resetStats();
    const [signIn, me] = await Promise.all([
      browser.context.waitForEvent('page', { timeout: 20_000 }).then((p) => completeLogin(p, 'erin')),
      page.evaluate(() => app.me()),
    ]);
    expect(signIn).toBeUndefined();
    expect(me).toEqual(ME);
    expect(env.provider.stats.tokensIssued.authorization_code).toBe(1);
    expect(await page.evaluate(() => app.accounts())).toEqual(['erin@example.test']);
  });

  test('by redirect: back on the app nobody is signed in, and the next Graph call rejects with the typed redirect error', async () => {
    interaction = 'redirect';
    await page.goto(`${web.origin}/`);
    expect(await page.evaluate(() => app.ready)).toBe('erin@example.test');
    expect(await page.evaluate(() => app.me())).toEqual(ME);
    const homeAccountId = await page.evaluate(() => app.homeAccountId());
    expect(await storedEntry(homeAccountId)).toBe('string');

    await page.evaluate(() => {
      void app.logout().then((r) => sessionStorage.setItem('logoutResult', JSON.stringify(r)));
    });
    await page.waitForURL((url) => url.origin === env.provider.issuer, { timeout: 20_000 });
    await confirmLogout(page);
    await page.waitForURL((url) => url.origin === web.origin && url.pathname === '/', { timeout: 20_000 });
    expect(await page.evaluate(() => app.ready)).toBeNull();
    expect(JSON.parse((await page.evaluate(() => sessionStorage.getItem('logoutResult'))) ?? 'null')).toEqual({ ok: null });
    expect(await storedEntry(homeAccountId)).toBe('undefined');
    expect(await page.evaluate(() => app.accounts())).toEqual([]);

    env.graph.reset();
    await page.evaluate(() => {
      void app.me().then((r) => sessionStorage.setItem('meResult', JSON.stringify(r)));
    });
    await page.waitForURL((url) => url.origin === env.provider.issuer, { timeout: 20_000 });
    await page.waitForSelector('input[name="login"]', { timeout: 20_000 }); // a real sign-in, not a silent SSO
    await page.goto(`${web.origin}/`);
    const outcome = JSON.parse((await page.evaluate(() => sessionStorage.getItem('meResult'))) ?? 'null');
    expect(outcome).toEqual({ error: expect.objectContaining({ errorCode: 'redirect_in_progress', graphAuth: true, redirect: true }) });
    expect(env.graph.stats.log).toEqual([]); // nothing reached Graph, with or without a token
  });

  test('no request left the machine', () => {
    expect(browser.blocked.filter((u) => !u.includes('fonts.googleapis'))).toEqual([]);
  });
});
