// The set-up most Chromium tests share: the test app (test/pages) served on one origin, the local
// provider and Graph simulator, one browser, its first page; all closed after the file's tests.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, type Browser } from './chromium.js';
import { appHtml, pageConfig, REDIRECT_HTML, startEnvironment, type Environment, type PageConfig } from './environment.js';
import { bundlePages, startWebServer, type WebServer } from './web-server.js';
import type { App } from '../pages/app.js';

declare const app: App;

/** What the app page is configured with: fixed overrides, or built from each request's URL. */
export type RigConfig = Partial<PageConfig> | ((url: URL) => Partial<PageConfig>);

export interface AppRig {
  readonly browser: Browser;
  readonly web: WebServer;
  readonly env: Environment;
  /** The browser's first page. */
  readonly page: Page;
  /** Replaces (does not merge) the page config overrides served from now on. */
  configure(config: RigConfig): void;
  /** Navigates `page` to `path` on the app's origin and returns what `app.ready` resolves to. */
  open(path?: string, page?: Page): Promise<string | null>;
  /** Reloads `page` and returns what `app.ready` resolves to. */
  reload(page?: Page): Promise<string | null>;
}

/** Registers this file's beforeAll/afterAll; the rig's fields are set once beforeAll has run. */
export function appRig(config: RigConfig = {}, options: { accessTokenTTL?: number } = {}): AppRig {
  let current = config;
  let browser: Browser | undefined;
  let web: WebServer | undefined;
  let env: Environment | undefined;
  let page: Page | undefined;
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`appRig: ${name} is only there once beforeAll has run`);
    return value;
  };

  beforeAll(async () => {
    const scripts = await bundlePages();
    web = await startWebServer(
      {
        '/index.html': (url) => appHtml(pageConfig(ready(env, 'env'), typeof current === 'function' ? current(url) : current)),
        '/redirect.html': () => REDIRECT_HTML,
      },
      scripts,
    );
    env = await startEnvironment([web.origin], options.accessTokenTTL);
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    await env?.close();
    await web?.close();
  });

  return {
    get browser() {
      return ready(browser, 'browser');
    },
    get web() {
      return ready(web, 'web');
    },
    get env() {
      return ready(env, 'env');
    },
    get page() {
      return ready(page, 'page');
    },
    configure(next) {
      current = next;
    },
    async open(path = '/', on = ready(page, 'page')) {
      await on.goto(`${ready(web, 'web').origin}${path}`);
      return on.evaluate(() => app.ready);
    },
    async reload(on = ready(page, 'page')) {
      await on.reload();
      return on.evaluate(() => app.ready);
    },
  };
}
