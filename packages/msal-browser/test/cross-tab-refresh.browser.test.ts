// Two tabs find the same token expired at the same moment: one refreshes, the other reuses its
// result from IndexedDB. Run with Web Locks, then with the IndexedDB lease that replaces them.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { appRig } from './support/app-rig.js';
import { loginByPopup } from './support/chromium.js';
import type { App } from './pages/app.js';

declare const app: App;

const TTL_SECONDS = 6;
const MARGIN_MS = 1000;
const TOKEN_DELAY_MS = 800;
const SHORT_LEASE_MS = 1200;

let tabs: Page[] = [];
let tokenDelayMs = TOKEN_DELAY_MS;

const rig = appRig(
  (url) => ({
    refreshMarginMs: MARGIN_MS,
    disableWebLocks: url.searchParams.has('no-web-locks'),
    ...(url.searchParams.has('lease') ? { leaseMs: Number(url.searchParams.get('lease')) } : {}),
  }),
  { accessTokenTTL: TTL_SECONDS },
);

beforeAll(async () => {
  // A slow token endpoint holds the first refresh open long enough for the other tab to
  // find the token expired too: without the cross-tab lock both would refresh.
  await rig.browser.context.route(
    (url) => url.origin === rig.env.provider.issuer && url.pathname === '/token',
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
      await route.fallback();
    },
  );
});

async function storedExpiry(page: Page): Promise<number> {
  const homeAccountId = await page.evaluate(() => app.homeAccountId());
  const stored = await page.evaluate((key) => app.rawStored(key), `graphwire.at.graphwire-spa.${homeAccountId}`);
  const tokens = Object.values((JSON.parse(stored.text) as { tokens: Record<string, { expiresOn: number }> }).tokens);
  return Math.max(...tokens.map((t) => t.expiresOn));
}

/** Waits until the stored token is within the refresh margin, i.e. expired for the session. */
async function untilExpired(page: Page): Promise<void> {
  const wait = (await storedExpiry(page)) - MARGIN_MS - Date.now() + 300;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

async function bothTabsCallGraph(): Promise<void> {
  rig.env.provider.resetStats();
  rig.env.graph.reset();
  // A tab that refreshed with a refresh token the other had just rotated is sent to an
  // interactive sign-in: fail at once rather than wait for a popup nobody fills in.
  let onPopup = () => undefined as void;
  const popupOpened = new Promise<never>((_, reject) => {
    onPopup = () => reject(new Error('a tab opened a sign-in popup: two refreshes raced'));
  });
  rig.browser.context.on('page', onPopup);
  const results = await Promise.race([Promise.all(tabs.map((tab) => tab.evaluate(() => app.me()))), popupOpened]).finally(() => {
    rig.browser.context.off('page', onPopup);
  });
  for (const result of results) expect(result).toEqual({ ok: expect.objectContaining({ id: 'user-1' }) });
  expect(rig.env.provider.stats.tokenRequests).toEqual({ refresh_token: 1 });
  const tokens = rig.env.graph.stats.log.map((r) => r.token);
  expect(tokens).toHaveLength(2);
  expect(tokens[0]).toBe(tokens[1]);
}

describe('one refresh across tabs', () => {
  test('with Web Locks', async () => {
    const first = rig.page;
    await rig.open('/', first);
    await loginByPopup(rig.browser.context, first, '#login', 'bob');
    await first.waitForFunction(() => app.loginResult !== undefined, null, { timeout: 30_000 });
    expect(await first.evaluate(() => app.loginResult)).toEqual({ ok: 'bob@example.test' });

    const second = await rig.browser.context.newPage();
    expect(await rig.open('/', second)).toBe('bob@example.test');
    tabs = [first, second];
    await untilExpired(first);
    await bothTabsCallGraph();
  });

  test('with the IndexedDB lease where Web Locks are missing', async () => {
    for (const tab of tabs) {
      await rig.open('/?no-web-locks', tab);
      expect(await tab.evaluate(() => typeof navigator.locks)).toBe('undefined');
    }
    await untilExpired(tabs[0] as Page);
    await bothTabsCallGraph();
  });

  test('a refresh lasting longer than the lease: the holder renews it, so the other tab still waits', async () => {
    for (const tab of tabs) {
      await rig.open(`/?no-web-locks&lease=${SHORT_LEASE_MS}`, tab);
    }
    await untilExpired(tabs[0] as Page);
    // Without renewal the lease would run out 1.8 s before the token endpoint answers, and the
    // waiting tab would refresh too. (MSAL dates a token from when it asked: the refreshed one is
    // good for TTL_SECONDS from the request, so the delay must stay well under that.)
    tokenDelayMs = 2.5 * SHORT_LEASE_MS;
    try {
      await bothTabsCallGraph();
    } finally {
      tokenDelayMs = TOKEN_DELAY_MS;
    }
  });
});
