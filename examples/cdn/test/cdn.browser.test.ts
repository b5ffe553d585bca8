// examples/cdn/index.html as a user copies it, in Chromium: the page and its redirect bridge served
// from 127.0.0.1 with their CDN script URLs pointing at the local files (the built graphwire.min.js,
// MSAL's redirect bridge), configured by query string for the local provider and Graph simulator.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { confirmLogout, launchChromium, loginByPopup, type Browser } from '../../../packages/msal-browser/test/support/chromium.js';
import { SPA_CLIENT_ID, startEnvironment, type Environment } from '../../../packages/msal-browser/test/support/environment.js';
import { PACKAGE_DIR, startWebServer, type WebServer } from '../../../packages/msal-browser/test/support/web-server.js';

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(PACKAGE_DIR, 'dist/graphwire.min.js');

/** The example's HTML with its CDN URLs swapped for the web server's local copies; fails if the page no longer has them. */
function servedPage(file: string, cdnPrefix: RegExp, local: string): string {
  const html = readFileSync(join(EXAMPLE, file), 'utf8');
  if (!cdnPrefix.test(html)) throw new Error(`examples/cdn/${file} no longer loads ${cdnPrefix}`);
  return html.replace(cdnPrefix, local);
}

let browser: Browser;
let env: Environment;
let web: WebServer;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: build it first with \`npm run build\` (or \`PKG=msal-browser npm run build\`)`);
  }
  // `/dist/*` is @graphwire/msal-browser's dist folder, `/msal/*` MSAL's lib folder (see web-server.ts).
  const index = servedPage('index.html', /https:\/\/cdn\.jsdelivr\.net\/npm\/@graphwire\/msal-browser@[^/]+\/dist\//g, '/dist/');
  const redirect = servedPage('redirect.html', /https:\/\/cdn\.jsdelivr\.net\/npm\/@azure\/msal-browser@[^/]+\/lib\//g, '/msal/');
  web = await startWebServer({ '/index.html': () => index, '/redirect.html': () => redirect });
  env = await startEnvironment([web.origin]);
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
  await web?.close();
});

const localUrl = () => {
  const query = new URLSearchParams({ clientId: SPA_CLIENT_ID, localIssuer: env.provider.issuer, graphBaseUrl: `${env.graph.url}/v1.0` });
  return `${web.origin}/?${query}`;
};
const waitForState = (value: string) => page.waitForSelector(`body[data-state="${value}"]`, { timeout: 20_000 });

describe('examples/cdn in Chromium', () => {
  test('sign in by popup, then the page shows /me; a reload needs no popup; sign out by popup', async () => {
    await page.goto(localUrl());
    await waitForState('signed-out');
    expect(await page.evaluate(() => typeof (window as unknown as { graphwire?: object }).graphwire)).toBe('object');

    await loginByPopup(browser.context, page, '#sign-in', 'erin');
    await waitForState('signed-in');
    expect(await page.textContent('#me-name')).toBe('User 1'); // the simulator's /me
    expect(await page.textContent('#me-mail')).toBe('user1@contoso.test');
    expect(env.provider.stats.tokensIssued.authorization_code).toBe(1);
    expect(env.graph.stats.log.map((r) => [r.method, r.path, r.authorized])).toEqual([['GET', '/v1.0/me', true]]);
    if (process.env.GRAPHWIRE_SCREENSHOTS) await page.screenshot({ path: join(process.env.GRAPHWIRE_SCREENSHOTS, 'cdn-signed-in.png') });

    // Reloaded, the page finds the account and its token (IndexedDB): no popup, no token request.
    const tokenRequests = { ...env.provider.stats.tokenRequests };
    await page.reload();
    await waitForState('signed-in');
    expect(browser.context.pages()).toHaveLength(1);
    expect(env.provider.stats.tokenRequests).toEqual(tokenRequests);

    const [popup] = await Promise.all([browser.context.waitForEvent('page', { timeout: 20_000 }), page.click('#sign-out')]);
    await confirmLogout(popup);
    await waitForState('signed-out');
    await expect.poll(() => popup.isClosed(), { timeout: 20_000 }).toBe(true);
    expect(await page.isVisible('#sign-in')).toBe(true);
  });

  test('off this machine the query string cannot redirect the page elsewhere', async () => {
    // The same page under a non-loopback name keeps its inline config (the placeholders), whatever the query says.
    const other = await browser.context.newPage();
    await other.route('http://graphwire-cdn.test/**', async (route) => {
      const path = new URL(route.request().url()).pathname;
      const response = await route.fetch({ url: `${web.origin}${path}` });
      await route.fulfill({ response });
    });
    await other.goto(`http://graphwire-cdn.test/?${new URL(localUrl()).searchParams}`);
    // `config` is the page's top-level const (a global lexical binding, not a window property).
    expect(await other.evaluate('config')).toMatchObject({
      localIssuer: '',
      graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      clientId: 'YOUR-CLIENT-ID',
    });
    await other.close();
  });

  test('no page error, and no request left the machine', () => {
    expect(pageErrors).toEqual([]);
    expect(browser.blocked.filter((u) => !u.includes('fonts.googleapis') && !u.startsWith('http://graphwire-cdn.test/'))).toEqual([]);
  });
});
