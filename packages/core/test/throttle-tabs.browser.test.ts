// Two tabs of one Chromium profile on the same origin, each with its own Connection on
// `new BroadcastChannelThrottle('graphwire-test')`: a 429 in tab A holds tab B's requests to that host.
// The pages load the built core (packages/core/dist) and ky through an import map, as an SPA would.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startGraphSimulator, type GraphSimulator } from '@graphwire/testing';
import { launchChromium, type Browser } from '../../msal-browser/test/support/chromium.js';
import { IMPORT_MAP, assertCoreBuilt, pageServer } from './portable/drivers.js';


// Each tab: a Connection to the simulator (given as ?sim=) whose throttle channel is shared by name.
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>graphwire throttle tabs</title>
${IMPORT_MAP}
<script type="module">
  import { BroadcastChannelThrottle, Connection, StaticTokenSession } from '@graphwire/core';
  const sim = new URL(location.href).searchParams.get('sim');
  const throttleChannel = new BroadcastChannelThrottle('graphwire-test');
  const tab = { saw429: 0, heard: [], log: [] };
  throttleChannel.subscribe((pause) => tab.heard.push({ ...pause, at: Date.now() }));
  const con = new Connection({
    baseUrl: sim + '/v1.0',
    session: new StaticTokenSession('tab-token'),
    logger: { debug: (line) => { tab.log.push(line); if (line.includes('→ 429')) tab.saw429 ||= Date.now(); } },
    throttleChannel,
  });
  tab.get = async (path) => {
    const started = Date.now();
    const body = await con.get(path).json();
    return { started, ended: Date.now(), ok: typeof body === 'object' };
  };
  window.tab = tab;
</script>
`;
async function servePage(): Promise<{ server: Server; origin: string }> {
  const { server, port } = await pageServer(PAGE);
  return { server, origin: `http://127.0.0.1:${port}` };
}

interface TabResult { started: number; ended: number; ok: boolean }
interface TabState { saw429: number; heard: Array<{ host: string; until: number; at: number }>; log: string[] }

describe('BroadcastChannelThrottle in Chromium: two tabs of an SPA', () => {
  let browser: Browser;
  let graph: GraphSimulator;
  let web: { server: Server; origin: string };

  beforeAll(async () => {
    const stale = assertCoreBuilt();
    if (stale) console.warn(stale);
    [browser, graph, web] = await Promise.all([launchChromium(), startGraphSimulator({ requireAuth: false }), servePage()]);
  });
  afterAll(async () => {
    await browser?.close();
    await graph?.close();
    web?.server.closeAllConnections();
    await new Promise((resolve) => web?.server.close(resolve));
  });

  async function openTab(): Promise<Page> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${web.origin}/?sim=${encodeURIComponent(graph.url)}`);
    await page.waitForFunction(() => 'tab' in window, null, { timeout: 15_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n${errors.join('\n')}`);
    });
    return page;
  }
  const state = (page: Page) => page.evaluate(() => {
    const { saw429, heard, log } = (window as unknown as { tab: TabState }).tab;
    return { saw429, heard, log };
  });

  it('a 429 in tab A holds tab B’s requests to that host until the pause ends', async () => {
    const [a, b] = [await openTab(), await openTab()];
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 1 }]);
    const aDone = a.evaluate(() => (window as unknown as { tab: { get(p: string): Promise<TabResult> } }).tab.get('me'));
    await a.waitForFunction(() => (window as unknown as { tab: TabState }).tab.saw429 > 0, null, { timeout: 10_000, polling: 5 });
    // Right after A saw the 429: B's request must wait out the pause A published.
    const bResult = await b.evaluate(() => (window as unknown as { tab: { get(p: string): Promise<TabResult> } }).tab.get('users'));
    const aResult = await aDone;
    expect(aResult.ok && bResult.ok).toBe(true);

    const throttled = graph.stats.log.find((r) => r.path === '/v1.0/me' && r.status === 429)!;
    const bArrival = graph.stats.log.find((r) => r.path === '/v1.0/users')!;
    expect(throttled).toBeDefined();
    expect(bArrival.status).toBe(200);
    expect(bArrival.time - throttled.time).toBeGreaterThanOrEqual(950);
    expect(graph.stats.throttled).toBe(1); // B never drew a 429 of its own

    const [sa, sb] = [await state(a), await state(b)];
    const host = new URL(graph.url).host;
    // B heard A's pause (once: B did not echo it back, and A heard nothing but its own, locally).
    expect(sb.heard).toEqual([{ host, until: expect.any(Number), at: expect.any(Number) }]);
    expect(sb.heard[0]!.until - throttled.time).toBeGreaterThanOrEqual(950);
    expect(sb.heard[0]!.at).toBeLessThan(bResult.started + 50);
    expect(sa.heard).toHaveLength(1);
    expect(bResult.started - sa.saw429).toBeLessThan(500);
    await Promise.all([a.close(), b.close()]);
  });

  it('a malformed message from another tab is ignored', async () => {
    graph.reset();
    const [b, rogue] = [await openTab(), await openTab()];
    await rogue.evaluate(() => {
      const bc = new BroadcastChannel('graphwire-test');
      for (const m of ['pause', null, { host: 42, until: Date.now() + 60_000 }, { until: Date.now() + 60_000 }]) bc.postMessage(m);
      bc.close();
    });
    await new Promise((r) => setTimeout(r, 50));
    const result = await b.evaluate(() => (window as unknown as { tab: { get(p: string): Promise<TabResult> } }).tab.get('me'));
    expect(result.ended - result.started).toBeLessThan(500);
    expect((await state(b)).heard).toEqual([]);
    await Promise.all([b.close(), rogue.close()]);
  });
});
