// The README's first example, verbatim but for its placeholders, on a plain HTML page loading the
// CDN bundles by script tag: the full bundle, then the slim one next to MSAL's own bundle.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, loginByPopup, type Browser } from './support/chromium.js';
import { SPA_CLIENT_ID, startEnvironment, type Environment } from './support/environment.js';
import { PACKAGE_DIR, startWebServer, type WebServer } from './support/web-server.js';

const CDN = 'https://cdn.jsdelivr.net/npm/';
const README = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
const htmlBlocks = [...README.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

/** Swaps `from` for `to`, failing loudly if the README no longer contains `from`. */
function replace(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`README example no longer contains ${JSON.stringify(from)}`);
  return text.split(from).join(to);
}

/** CDN URLs to the same files served locally: this package's dist, MSAL's lib. */
function localScripts(html: string): string {
  return html
    .replace(/https:\/\/cdn\.jsdelivr\.net\/npm\/@graphwire\/msal-browser@[^/]+\/dist\//g, '/dist/')
    .replace(/https:\/\/cdn\.jsdelivr\.net\/npm\/@azure\/msal-browser@[^/]+\/lib\//g, '/msal/');
}

function appPage(env: Environment, slim: boolean): string {
  let html = htmlBlocks[0] ?? '';
  // Placeholders become the local provider (MSAL needs its metadata: no https, no Microsoft discovery).
  html = replace(html, `clientId: 'YOUR-CLIENT-ID',`, `clientId: '${SPA_CLIENT_ID}', authority: '${env.provider.msal.authority}',
        msal: { auth: { knownAuthorities: ${JSON.stringify(env.provider.msal.knownAuthorities)},
          authorityMetadata: ${JSON.stringify(env.provider.msal.authorityMetadata)} }, system: { protocolMode: 'OIDC' } },`);
  html = replace(html, 'new graphwire.Connection({ session,', `new graphwire.Connection({ session, baseUrl: '${env.graph.url}/v1.0',`);
  if (slim) {
    const slimTags = htmlBlocks[2] ?? '';
    html = replace(html, `<script src="${CDN}@graphwire/msal-browser@0.1.0/dist/graphwire.min.js"></script>`, slimTags.trim());
  }
  return localScripts(html);
}

let browser: Browser;
let env: Environment;
const webs: Record<'full' | 'slim', WebServer> = {} as Record<'full' | 'slim', WebServer>;

beforeAll(async () => {
  for (const name of ['graphwire.min.js', 'graphwire.slim.min.js']) {
    if (!existsSync(join(PACKAGE_DIR, 'dist', name))) throw new Error(`dist/${name} is missing: run the build first (npm run build)`);
  }
  for (const kind of ['full', 'slim'] as const) {
    // One origin each, so the two runs share no storage.
    webs[kind] = await startWebServer({
      '/index.html': () => appPage(env, kind === 'slim'),
      '/redirect.html': () => localScripts(htmlBlocks[1] ?? ''),
    });
  }
  env = await startEnvironment([webs.full.origin, webs.slim.origin]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
  for (const web of Object.values(webs)) await web?.close();
});

describe('CDN bundles loaded by script tag', () => {
  for (const kind of ['full', 'slim'] as const) {
    test(`${kind === 'full' ? 'graphwire.min.js' : 'graphwire.slim.min.js with MSAL\'s msal-browser.min.js'}: sign in by popup, then Graph`, async () => {
      await browser.context.clearCookies(); // a new provider session: the login form must show
      env.graph.reset();
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${webs[kind].origin}/`);
      expect(await page.evaluate(() => typeof (window as unknown as { graphwire?: object }).graphwire)).toBe('object');
      if (kind === 'slim') {
        // The slim bundle must not carry its own MSAL: its session uses the page's global `msal`.
        expect(await page.evaluate(() => typeof (window as unknown as { msal?: object }).msal)).toBe('object');
      }
      await loginByPopup(browser.context, page, '#sign-in', kind === 'full' ? 'erin' : 'frank');
      await page.waitForFunction(() => document.getElementById('out')?.textContent !== '', null, { timeout: 30_000 });
      expect(await page.textContent('#out')).toBe('Hello, User 1');
      expect(env.graph.stats.log.at(-1)?.authorized).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  test('bundles carry a banner with name, version and license', () => {
    for (const name of ['graphwire.min.js', 'graphwire.slim.min.js']) {
      const head = readFileSync(join(PACKAGE_DIR, 'dist', name), 'utf8').slice(0, 300);
      expect(head).toMatch(/^\/\*! @graphwire\/msal-browser v0\.1\.0 .*\| MIT License/);
    }
    // The slim bundle leaves MSAL out (it is about a sixth of the full one).
    const size = (name: string) => readFileSync(join(PACKAGE_DIR, 'dist', name)).length;
    expect(size('graphwire.slim.min.js')).toBeLessThan(size('graphwire.min.js') / 3);
  });
});
