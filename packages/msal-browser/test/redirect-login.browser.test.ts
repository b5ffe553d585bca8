// Redirect sign-in: login() rejects with RedirectInProgressError (never resolves undefined), the
// page goes to the provider and back through the bridge page, and initialize() completes it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { completeLogin, launchChromium, type Browser } from './support/chromium.js';
import { appHtml, pageConfig, REDIRECT_HTML, startEnvironment, type Environment } from './support/environment.js';
import { bundlePages, startWebServer, type WebServer } from './support/web-server.js';
import type { App } from './pages/app.js';

declare const app: App;

let browser: Browser;
let web: WebServer;
let env: Environment;

beforeAll(async () => {
  const scripts = await bundlePages();
  web = await startWebServer({ '/index.html': () => appHtml(pageConfig(env, { interaction: 'redirect' })), '/redirect.html': () => REDIRECT_HTML }, scripts);
  env = await startEnvironment([web.origin]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
  await web?.close();
});

describe('redirect sign-in in Chromium', () => {
  test('login() rejects with a typed redirect error, the page returns signed in, and Graph answers', async () => {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${web.origin}/`);
    expect(await page.evaluate(() => app.ready)).toBeNull();

    await page.click('#login');
    await page.waitForURL((url) => url.origin === env.provider.issuer, { timeout: 20_000 });
    await completeLogin(page, 'dave');
    await page.waitForURL((url) => url.origin === web.origin && url.pathname === '/', { timeout: 20_000 });
    expect(await page.evaluate(() => app.ready)).toBe('dave@example.test');

    // What login() did before the page left: a typed rejection, never a resolved undefined.
    const loginOutcome = JSON.parse((await page.evaluate(() => sessionStorage.getItem('loginResult'))) ?? 'null');
    expect(loginOutcome).toEqual({
      error: expect.objectContaining({ errorCode: 'redirect_in_progress', graphAuth: true, redirect: true }),
    });
    expect(loginOutcome.error.message).toMatch(/^\[@graphwire\/msal-browser\] a redirect/);
    expect(env.provider.stats.tokensIssued.authorization_code).toBe(1);

    expect(await page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(env.graph.stats.log.at(-1)?.authorized).toBe(true);
  });

  test('a token request with nobody signed in starts a redirect and rejects, never resolving undefined', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(`${web.origin}/`);
    await page.evaluate(() => app.ready);
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
    await page.waitForURL((url) => url.origin === env.provider.issuer, { timeout: 20_000 });
    await page.goto(`${web.origin}/`);
    const outcome = JSON.parse((await page.evaluate(() => sessionStorage.getItem('meResult'))) ?? 'null');
    expect(outcome).toEqual({ error: expect.objectContaining({ errorCode: 'redirect_in_progress', graphAuth: true, redirect: true }) });
    expect(env.graph.stats.log.filter((r) => !r.authorized)).toEqual([]); // no request went out without a token
    await page.close();
  });
});
