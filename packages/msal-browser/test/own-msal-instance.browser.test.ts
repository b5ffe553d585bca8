// The `msalInstance` option: the app builds its own PublicClientApplication and the session uses
// it as it is: popup sign-in, Graph, the token from IndexedDB after a reload, popup sign-out.
import { describe, expect, test } from 'vitest';
import { appRig } from './support/app-rig.js';
import { confirmLogout, loginByPopup } from './support/chromium.js';
import type { App } from './pages/app.js';

declare const app: App;

const rig = appRig({ ownInstance: true, databaseName: 'graphwire-own-instance' });

describe('MsalBrowserSession over an existing PublicClientApplication', () => {
  test('sign-in, Graph, reload from IndexedDB, sign-out, all through the app\'s own instance', async () => {
    expect(await rig.open()).toBeNull();
    expect(await rig.page.evaluate(() => app.usesOwnInstance())).toBe(true);

    await loginByPopup(rig.browser.context, rig.page, '#login', 'gina');
    await rig.page.waitForFunction(() => app.loginResult !== undefined, null, { timeout: 30_000 });
    expect(await rig.page.evaluate(() => app.loginResult)).toEqual({ ok: 'gina@example.test' });
    expect(await rig.page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    const bearer = rig.env.graph.stats.log.at(-1)?.token;

    rig.env.provider.resetStats();
    expect(await rig.reload()).toBe('gina@example.test');
    expect(await rig.page.evaluate(() => app.me())).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
    expect(rig.env.graph.stats.log.at(-1)?.token).toBe(bearer);
    expect(rig.env.provider.stats.requests).toBe(0);

    const homeAccountId = await rig.page.evaluate(() => app.homeAccountId());
    const [, outcome] = await Promise.all([
      rig.browser.context.waitForEvent('page', { timeout: 20_000 }).then(confirmLogout),
      rig.page.evaluate(() => app.logout('popup')),
    ]);
    expect(outcome).toEqual({ ok: null });
    expect(await rig.page.evaluate(() => app.accounts())).toEqual([]);
    expect((await rig.page.evaluate((key) => app.rawStored(key), `graphwire.at.graphwire-spa.${homeAccountId}`)).kind).toBe('undefined');
  });
});
