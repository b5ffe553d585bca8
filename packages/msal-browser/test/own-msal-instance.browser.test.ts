// The `msalInstance` option: the app builds its own PublicClientApplication and the session uses
// it as it is: popup sign-in, Graph, the token from IndexedDB after a reload, popup sign-out.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { confirmLogout, launchChromium, loginByPopup, type Browser } from './support/chromium.js';
import { appHtml, pageConfig, REDIRECT_HTML, startEnvironment, type Environment } from './support/environment.js';
import { bundlePages, startWebServer, type WebServer } from './support/web-server.js';
import type { App } from './pages/app.js';

declare const app: App;

let browser: Browser;
let web: WebServer;
let env: Environment;

beforeAll(async () => {
  const scripts = await bundlePages();
  web = await startWebServer(
    { '/index.html': () => appHtml(pageConfig(env, { ownInstance: true, databaseName: 'graphwire-own-instance' })), '/redirect.html': () => REDIRECT_HTML },
    scripts,
  );
  env = await startEnvironment([web.origin]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
  await web?.close();
});

describe('MsalBrowserSession over an existing PublicClientApplication', () => {
  test('sign-in, Graph, reload from IndexedDB, sign-out, all through the app\'s own instance', async () => {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${web.origin}/`);
    expect(await page.evaluate(() => app.ready)).toBeNull();
    expect(await page.evaluate(() => app.usesOwnInstance())).toBe(true);

    await loginByPopup(browser.context, page, '#login', 'gina');
    await page.waitForFunction(() => app.loginResult !== undefined, null, { timeout: 30_000 });
    expect(await page.evaluate(() => app.loginResult)).toEqual({ ok: 'gina@example.test' });
    expect(await page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    const bearer = env.graph.stats.log.at(-1)?.token;

    env.provider.resetStats();
    await page.reload();
    expect(await page.evaluate(() => app.ready)).toBe('gina@example.test');
    expect(await page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(env.graph.stats.log.at(-1)?.token).toBe(bearer);
    expect(env.provider.stats.requests).toBe(0);

    const homeAccountId = await page.evaluate(() => app.homeAccountId());
    const [, outcome] = await Promise.all([
      browser.context.waitForEvent('page', { timeout: 20_000 }).then(confirmLogout),
      page.evaluate(() => app.logout('popup')),
    ]);
    expect(outcome).toEqual({ ok: null });
    expect(await page.evaluate(() => app.accounts())).toEqual([]);
    expect((await page.evaluate((key) => app.rawStored(key), `graphwire.at.graphwire-spa.${homeAccountId}`)).kind).toBe('undefined');
  });
});
