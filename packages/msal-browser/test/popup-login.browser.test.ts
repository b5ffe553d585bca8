// Popup sign-in, then Graph; after a reload the token comes from IndexedDB, not the token endpoint.
import { describe, expect, test } from 'vitest';
import { appRig } from './support/app-rig.js';
import { loginByPopup } from './support/chromium.js';
import type { App } from './pages/app.js';

declare const app: App;

const rig = appRig();

describe('MsalBrowserSession with IndexedDbTokenStore in Chromium', () => {
  test('popup login, then con.get("me") with the token the provider issued', async () => {
    await rig.open();
    expect(await rig.page.evaluate(() => app.ready)).toBeNull();
    await loginByPopup(rig.browser.context, rig.page, '#login', 'carol');
    await rig.page.waitForFunction(() => app.loginResult !== undefined, null, { timeout: 30_000 });
    expect(await rig.page.evaluate(() => app.loginResult)).toEqual({ ok: 'carol@example.test' });
    expect(rig.env.provider.stats.tokensIssued.authorization_code).toBe(1);

    const me = await rig.page.evaluate(() => app.me());
    expect(me).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    const bearer = rig.env.graph.stats.log.at(-1)?.token;
    expect(bearer?.split('.')).toHaveLength(3); // a real JWT, checked by the simulator against the provider's keys

    // The token Graph received is the one persisted in IndexedDB, in clear text when not encrypted.
    const homeAccountId = await rig.page.evaluate(() => app.homeAccountId());
    const stored = await rig.page.evaluate((key) => app.rawStored(key), `graphwire.at.graphwire-spa.${homeAccountId}`);
    expect(stored.kind).toBe('string');
    expect(stored.text).toContain(bearer);
  });

  test('after a reload the token comes from IndexedDB: no token endpoint call, no MSAL acquisition', async () => {
    const before = rig.env.graph.stats.log.at(-1)?.token;
    rig.env.provider.resetStats();
    expect(await rig.reload()).toBe('carol@example.test');
    expect(await rig.page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(rig.env.graph.stats.log.at(-1)?.token).toBe(before);
    expect(rig.env.provider.stats.requests).toBe(0);
    expect(await rig.page.evaluate(() => app.msalAcquisitions)).toEqual([]);
  });

  test('encryption at rest: IndexedDB holds ciphertext, and a reload still needs no token endpoint', async () => {
    rig.configure({ encrypt: true, databaseName: 'graphwire-encrypted' });
    rig.env.provider.resetStats();
    await rig.open(); // MSAL still has carol's account and tokens in localStorage: a silent hit, stored encrypted
    expect(await rig.page.evaluate(() => app.token())).toEqual({ ok: expect.any(String) });
    const homeAccountId = await rig.page.evaluate(() => app.homeAccountId());
    const stored = await rig.page.evaluate((key) => app.rawStored(key), `graphwire.at.graphwire-spa.${homeAccountId}`);
    expect(stored.kind).toBe('object');
    const token = await rig.page.evaluate(() => app.token());
    expect('ok' in token && token.ok.length > 20).toBe(true);
    expect(stored.text).not.toContain('ok' in token ? token.ok.slice(0, 20) : '???');

    await rig.reload();
    expect(await rig.page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(await rig.page.evaluate(() => app.msalAcquisitions)).toEqual([]);
    expect(rig.env.provider.stats.requests).toBe(0);
  });

  test('storage unavailable: falls back to memory with one warning, and Graph calls still work', async () => {
    rig.configure({ databaseName: 'graphwire-unavailable' });
    await rig.page.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true });
    });
    await rig.open();
    expect(await rig.page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(await rig.page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(await rig.page.evaluate(() => app.persistent())).toBe(false);
    const warnings = await rig.page.evaluate(() => app.warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\[@graphwire\/msal-browser\] IndexedDB is unavailable/);
  });

  test('no request left the machine', () => {
    expect(rig.browser.blocked.filter((u) => !u.includes('fonts.googleapis'))).toEqual([]);
  });
});
