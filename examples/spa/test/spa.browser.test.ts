// The SPA example end to end in Chromium: built by Vite from examples/spa, served from 127.0.0.1,
// signing in by redirect at the local OpenID provider and reading the Graph simulator.
// Helpers come from the msal-browser tests: the same Chromium launch, login form filling,
// provider + simulator set-up (client `graphwire-spa`, redirect URI `<origin>/redirect.html`).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { completeLogin, confirmLogout, launchChromium, type Browser } from '../../../packages/msal-browser/test/support/chromium.js';
import { SPA_CLIENT_ID, startEnvironment, type Environment } from '../../../packages/msal-browser/test/support/environment.js';
import { startWebServer, type WebServer } from '../../../packages/msal-browser/test/support/web-server.js';
import { buildSpa } from './build-spa.js';

let browser: Browser;
let env: Environment;
let web: WebServer;
let page: Page;
/** Every URL the browser asked the provider for. */
const providerRequests: string[] = [];
const pageErrors: string[] = [];

// The web server looks paths up on each request, so it can start (and give the origin the provider
// must know) before the build that needs the provider's address has run.
const pages: Record<string, () => string> = {};
const scripts: Record<string, string> = {};

beforeAll(async () => {
  web = await startWebServer(pages, scripts);
  env = await startEnvironment([web.origin]);
  const built = await buildSpa({
    VITE_GRAPHWIRE_CLIENT_ID: SPA_CLIENT_ID,
    VITE_GRAPHWIRE_ISSUER: env.provider.issuer,
    VITE_GRAPHWIRE_GRAPH_URL: `${env.graph.url}/v1.0`,
  });
  for (const [path, html] of Object.entries(built.pages)) pages[path] = () => html;
  Object.assign(scripts, built.scripts);
  browser = await launchChromium();
  browser.context.on('request', (request) => {
    if (new URL(request.url()).origin === env.provider.issuer) providerRequests.push(request.url());
  });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
  await web?.close();
});

const state = () => page.getAttribute('body', 'data-state');
const waitForState = (value: string) => page.waitForSelector(`body[data-state="${value}"]`, { timeout: 20_000 });
const userNames = () => page.$$eval('#users li', (items) => items.map((li) => li.firstChild?.textContent ?? ''));
const users = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `User ${from + i}`);

/** Keys of the app's IndexedDbTokenStore entries holding access tokens (database `graphwire`). */
const storedTokenKeys = () => page.evaluate(() => new Promise<string[]>((resolve, reject) => {
  const open = indexedDB.open('graphwire');
  open.onerror = () => reject(new Error(`indexedDB.open: ${String(open.error)}`));
  open.onsuccess = () => {
    const db = open.result;
    const keys = db.transaction('tokens').objectStore('tokens').getAllKeys();
    keys.onerror = () => reject(new Error(`getAllKeys: ${String(keys.error)}`));
    keys.onsuccess = () => {
      db.close();
      resolve(keys.result.map(String).filter((k) => k.startsWith('graphwire.at.')));
    };
  };
}));

async function screenshot(name: string): Promise<void> {
  // GRAPHWIRE_SCREENSHOTS=dir keeps what the user sees at each step (for the README, for a look).
  const dir = process.env.GRAPHWIRE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `spa-${name}.png`), fullPage: true });
}

describe('examples/spa in Chromium', () => {
  test('sign in by redirect, the user and a first page of users show, next page follows @odata.nextLink', async () => {
    await page.goto(`${web.origin}/`);
    await waitForState('signed-out');
    expect(await page.isVisible('#sign-in')).toBe(true);
    expect(await page.isVisible('#signed-in')).toBe(false);
    await screenshot('signed-out');

    await page.click('#sign-in');
    await page.waitForURL((url) => url.origin === env.provider.issuer, { timeout: 20_000 });
    await completeLogin(page, 'dave');
    await page.waitForURL((url) => url.origin === web.origin && url.pathname === '/', { timeout: 20_000 });
    await waitForState('signed-in');
    expect(env.provider.stats.tokensIssued.authorization_code).toBe(1);

    expect(await page.textContent('#account')).toBe('dave@example.test');
    expect(await page.textContent('#me-name')).toBe('User 1'); // the simulator's /me
    expect(await page.textContent('#me-mail')).toBe('user1@contoso.test');
    expect(await page.textContent('#page-number')).toBe('1');
    expect(await userNames()).toEqual(users(1, 10));
    await screenshot('signed-in');

    await page.click('#next-page');
    await page.waitForFunction(() => document.getElementById('page-number')?.textContent === '2');
    expect(await userNames()).toEqual(users(11, 20));
    await page.click('#next-page');
    await page.waitForFunction(() => document.getElementById('page-number')?.textContent === '3');
    expect(await userNames()).toEqual(users(21, 25));
    expect(await page.isDisabled('#next-page')).toBe(true); // the last page has no @odata.nextLink

    const graphCalls = env.graph.stats.log.map((r) => `${r.method} ${r.path}`);
    expect(graphCalls).toEqual(['GET /v1.0/me', 'GET /v1.0/users', 'GET /v1.0/users', 'GET /v1.0/users']);
    expect(env.graph.stats.log.every((r) => r.authorized)).toBe(true);
  });

  test('a reload shows the user again with the token from IndexedDB: no sign-in, no token request', async () => {
    const keys = await storedTokenKeys();
    expect(keys).toEqual([expect.stringMatching(new RegExp(`^graphwire\\.at\\.${SPA_CLIENT_ID}\\.`))]);
    const tokenRequestsBefore = { ...env.provider.stats.tokenRequests };
    providerRequests.length = 0;
    env.graph.reset();

    await page.reload();
    await waitForState('signed-in');
    expect(await page.textContent('#me-name')).toBe('User 1');
    expect(await userNames()).toEqual(users(1, 10));

    // The only thing the page asked the provider for is its discovery document (the app's local config).
    expect(providerRequests.map((u) => new URL(u).pathname)).toEqual(['/.well-known/openid-configuration']);
    expect(env.provider.stats.tokenRequests).toEqual(tokenRequestsBefore);
    expect(env.graph.stats.log.map((r) => r.authorized)).toEqual([true, true]);
  });

  test('sign out: the provider ends the session, the app is back signed out and IndexedDB holds no token', async () => {
    await page.click('#sign-out');
    await page.waitForURL((url) => url.origin === env.provider.issuer, { timeout: 20_000 });
    await confirmLogout(page);
    await page.waitForURL((url) => url.origin === web.origin && url.pathname === '/', { timeout: 20_000 });
    await waitForState('signed-out');
    expect(await page.isVisible('#sign-in')).toBe(true);
    expect(await page.isVisible('#signed-in')).toBe(false);
    expect(await storedTokenKeys()).toEqual([]);

    // Still signed out after a reload: MSAL forgot the account too.
    await page.reload();
    await waitForState('signed-out');
    expect(await state()).toBe('signed-out');
  });

  test('no page error, and no request left the machine', () => {
    expect(pageErrors).toEqual([]);
    expect(browser.blocked.filter((u) => !u.includes('fonts.googleapis'))).toEqual([]);
  });
});
