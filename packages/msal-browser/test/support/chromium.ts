// Debian's Chromium driven by playwright-core, launched once per test file (TESTING.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface Browser {
  context: BrowserContext;
  /** Non-local URLs the pages tried to reach (aborted). */
  blocked: string[];
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'graphwire-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      // oidc-provider's login page @imports Google Fonts: nothing may leave the machine.
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  });
  const blocked: string[] = [];
  await context.route(
    (url) => !['localhost', '127.0.0.1'].includes(url.hostname),
    (route) => {
      blocked.push(route.request().url());
      return route.abort();
    },
  );
  return {
    context,
    blocked,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Fills oidc-provider's dev login and consent forms, as a person would. */
export async function completeLogin(page: Page, login: string): Promise<void> {
  await page.waitForSelector('input[name="login"]', { timeout: 20_000 });
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'any-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('input[name="prompt"][value="consent"]', { state: 'attached', timeout: 20_000 });
  // The popup may close as soon as the form posts; that is success, not an error.
  await page.click('button[type=submit]', { noWaitAfter: true }).catch(() => undefined);
}

/** Clicks `selector` (a user gesture, so the popup is allowed) and signs in in the popup. */
export async function loginByPopup(context: BrowserContext, page: Page, selector: string, login: string): Promise<void> {
  const [popup] = await Promise.all([context.waitForEvent('page', { timeout: 20_000 }), page.click(selector)]);
  await completeLogin(popup, login);
}

/** Confirms oidc-provider's "Do you want to sign out?" page (RP-initiated logout). */
export async function confirmLogout(page: Page): Promise<void> {
  await page.waitForSelector('button[name="logout"][value="yes"]', { timeout: 20_000 });
  // The popup may close as soon as the form posts.
  await page.click('button[name="logout"][value="yes"]', { noWaitAfter: true }).catch(() => undefined);
}
