// Popup sign-in, then Graph; after a reload the token comes from IndexedDB, not the token endpoint.
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

async function open(): Promise<void> {
  await page.goto(`${web.origin}/`);
  await page.evaluate(() => app.ready);
}

describe('MsalBrowserSession with IndexedDbTokenStore in Chromium', () => {
  test('popup login, then con.get("me") with the token the provider issued', async () => {
    await open();
    expect(await page.evaluate(() => app.ready)).toBeNull();
    await loginByPopup(browser.context, page, '#login', 'carol');
    await page.waitForFunction(() => app.loginResult !== undefined, null, { timeout: 30_000 });
    expect(await page.evaluate(() => app.loginResult)).toEqual({ ok: 'carol@example.test' });
    expect(env.provider.stats.tokensIssued.authorization_code).toBe(1);

    const me = await page.evaluate(() => app.me());
    expect(me).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    const bearer = env.graph.stats.log.at(-1)?.token;
    expect(bearer?.split('.')).toHaveLength(3); // a real JWT, checked by the simulator against the provider's keys

    // The token Graph received is the one persisted in IndexedDB, in clear text when not encrypted.
    const homeAccountId = await page.evaluate(() => app.homeAccountId());
    const stored = await page.evaluate((key) => app.rawStored(key), `graphwire.at.graphwire-spa.${homeAccountId}`);
    expect(stored.kind).toBe('string');
    expect(stored.text).toContain(bearer);
  });

  test('after a reload the token comes from IndexedDB: no token endpoint call, no MSAL acquisition', async () => {
    const before = env.graph.stats.log.at(-1)?.token;
    env.provider.resetStats();
    await page.reload();
    expect(await page.evaluate(() => app.ready)).toBe('carol@example.test');
    expect(await page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(env.graph.stats.log.at(-1)?.token).toBe(before);
    expect(env.provider.stats.requests).toBe(0);
    expect(await page.evaluate(() => app.msalAcquisitions)).toEqual([]);
  });

  test('encryption at rest: IndexedDB holds ciphertext, and a reload still needs no token endpoint', async () => {
    config = { encrypt: true, databaseName: 'graphwire-encrypted' };
    env.provider.resetStats();
    await open(); // MSAL still has carol's account and tokens in localStorage: a silent hit, stored encrypted
    expect(await page.evaluate(() => app.token())).toEqual({ ok: expect.any(String) });
    const homeAccountId = await page.evaluate(() => app.homeAccountId());
    const stored = await page.evaluate((key) => app.rawStored(key), `graphwire.at.graphwire-spa.${homeAccountId}`);
    expect(stored.kind).toBe('object');
    const token = await page.evaluate(() => app.token());
    expect('ok' in token && token.ok.length > 20).toBe(true);
    expect(stored.text).not.toContain('ok' in token ? token.ok.slice(0, 20) : '???');

    await page.reload();
    await page.evaluate(() => app.ready);
    expect(await page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(await page.evaluate(() => app.msalAcquisitions)).toEqual([]);
    expect(env.provider.stats.requests).toBe(0);
  });

  test('storage unavailable: falls back to memory with one warning, and Graph calls still work', async () => {
    config = { databaseName: 'graphwire-unavailable' };
    await page.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true });
    });
    await open();
    expect(await page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(await page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(await page.evaluate(() => app.persistent())).toBe(false);
    const warnings = await page.evaluate(() => app.warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\[@graphwire\/msal-browser\] IndexedDB is unavailable/);
  });

  test('no request left the machine', () => {
    expect(browser.blocked.filter((u) => !u.includes('fonts.googleapis'))).toEqual([]);
  });
});
