// IndexedDB that starts fine and then refuses writes (a full disk: QuotaExceededError): the store
// falls back to memory with exactly one warning, and token refreshes and Graph calls keep working.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, loginByPopup, type Browser } from './support/chromium.js';
import { appHtml, pageConfig, REDIRECT_HTML, startEnvironment, type Environment, type PageConfig } from './support/environment.js';
import { bundlePages, startWebServer, type WebServer } from './support/web-server.js';
import type { App } from './pages/app.js';

declare const app: App;

let browser: Browser;
let web: WebServer;
let env: Environment;
let page: Page;
let config: Partial<PageConfig> = {};

beforeAll(async () => {
  const scripts = await bundlePages();
  web = await startWebServer({ '/index.html': () => appHtml(pageConfig(env, config)), '/redirect.html': () => REDIRECT_HTML }, scripts);
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
const WARNING = /^\[@graphwire\/msal-browser\] IndexedDB failed \(QuotaExceededError\): tokens are kept in memory only/;

/** A forced refresh writes the new token to the store; a new Connection then reads it from there. */
async function refreshThenGraph(): Promise<void> {
  const refreshed = await page.evaluate(() => app.refresh());
  expect(refreshed).toEqual({ ok: expect.any(String) });
  await page.evaluate(() => app.reconnect());
  expect(await page.evaluate(() => app.me())).toEqual(ME);
  expect(env.graph.stats.log.at(-1)?.token).toBe('ok' in refreshed ? refreshed.ok : undefined);
}

describe('IndexedDB failing mid-session in Chromium', () => {
  test('with Web Locks: one warning, then memory; refreshes and Graph calls keep working', async () => {
    config = { databaseName: 'graphwire-failing' };
    await page.goto(`${web.origin}/`);
    await page.evaluate(() => app.ready);
    await loginByPopup(browser.context, page, '#login', 'frank');
    await page.waitForFunction(() => app.loginResult !== undefined, null, { timeout: 30_000 });
    expect(await page.evaluate(() => app.me())).toEqual(ME);
    await refreshThenGraph();
    expect(await page.evaluate(() => app.persistent())).toBe(true);
    expect(await page.evaluate(() => app.warnings)).toEqual([]);

    await page.evaluate(() => app.failIndexedDbWrites());
    env.provider.resetStats();
    await refreshThenGraph();
    expect(await page.evaluate(() => app.persistent())).toBe(false);
    await refreshThenGraph();
    expect(await page.evaluate(() => app.me())).toEqual(ME);
    expect(env.provider.stats.tokenRequests).toEqual({ refresh_token: 2 });
    const warnings = await page.evaluate(() => app.warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(WARNING);
  });

  test('without Web Locks: the IndexedDB lease cannot be written either, and the lock moves to memory', async () => {
    config = { databaseName: 'graphwire-failing-lease', disableWebLocks: true };
    await page.goto(`${web.origin}/`);
    expect(await page.evaluate(() => app.ready)).toBe('frank@example.test'); // MSAL's account, from localStorage
    expect(await page.evaluate(() => typeof navigator.locks)).toBe('undefined');
    await refreshThenGraph(); // the lease and the token are written to IndexedDB
    expect(await page.evaluate(() => app.persistent())).toBe(true);

    await page.evaluate(() => app.failIndexedDbWrites());
    await refreshThenGraph();
    await refreshThenGraph();
    expect(await page.evaluate(() => app.persistent())).toBe(false);
    const warnings = await page.evaluate(() => app.warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(WARNING);
  });
});
