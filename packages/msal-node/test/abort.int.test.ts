// A token request's `signal`: the caller stops waiting at once; the device-code flow also stops
// polling the provider; other MSAL calls finish in the background and fill the cache.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '@graphwire/core';
import { FetchNetworkClient, MsalNodeSession } from '@graphwire/msal-node';
import { localMsal, startRig, TEST_CLIENTS, type Rig } from './helpers.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const GRAPH_DEFAULT = ['https://graph.microsoft.com/.default'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let rig: Rig;
beforeAll(async () => { rig = await startRig(); });
afterAll(() => rig.close());
afterEach(() => rig.idp.resetStats());

describe('TokenRequest.signal', () => {
  it('an already aborted signal rejects with its reason and sends nothing', async () => {
    const session = new MsalNodeSession({
      clientId: TEST_CLIENTS.confidential.clientId, clientSecret: TEST_CLIENTS.confidential.clientSecret, tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp),
    });
    const reason = new Error('caller gave up');
    await expect(session.getAccessToken({ scopes: GRAPH_DEFAULT, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(rig.idp.stats.requests).toBe(0);
  });

  it('device code: the caller returns at once and MSAL stops polling the token endpoint', { timeout: 30_000 }, async () => {
    const controller = new AbortController();
    let shown!: () => void;
    const codeShown = new Promise<void>((resolve) => { shown = resolve; });
    const session = new MsalNodeSession({
      clientId: TEST_CLIENTS.public.clientId, flow: 'device', scopes: ['User.Read'], tokenStore: new MemoryTokenStore(), ...localMsal(rig.idp),
      onDeviceCode: () => shown(), // nobody signs in
    });
    const pending = session.getAccessToken({ scopes: ['User.Read'], signal: controller.signal });
    await codeShown;
    await sleep(1500); // the provider's interval is 1 s: at least one poll
    const abortedAt = Date.now();
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    const waited = Date.now() - abortedAt;
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(waited).toBeLessThan(500); // MSAL is between polls; the caller does not wait for the next one
    const polls = rig.idp.grantCount(DEVICE_GRANT);
    expect(polls).toBeGreaterThanOrEqual(1);
    await sleep(3000);
    // At most the poll already under way when the flag was set, none after.
    expect(rig.idp.grantCount(DEVICE_GRANT)).toBeLessThanOrEqual(polls + 1);
    console.info(`abort: device flow returned ${waited} ms after abort; polls ${polls} → ${rig.idp.grantCount(DEVICE_GRANT)} 3 s later`);
  });

  it('a slow token call: the caller returns at once, the token still lands in the cache for the next call', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const local = localMsal(rig.idp);
    const networkClient = new FetchNetworkClient(async (input, init) => {
      await gate; // a token endpoint that takes its time
      return fetch(input, init);
    });
    const session = new MsalNodeSession({
      clientId: TEST_CLIENTS.confidential.clientId, clientSecret: TEST_CLIENTS.confidential.clientSecret, tokenStore: new MemoryTokenStore(),
      ...local, msal: { ...local.msal, networkClient },
    });
    const pending = session.getAccessToken({ scopes: GRAPH_DEFAULT, signal: AbortSignal.timeout(200) });
    const started = Date.now();
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2000);
    release();
    for (const deadline = Date.now() + 10_000; !rig.idp.stats.tokensIssued.client_credentials && Date.now() < deadline;) await sleep(20);
    expect(rig.idp.stats.tokensIssued.client_credentials).toBe(1);
    await sleep(50); // MSAL's cache write follows the response
    await session.getAccessToken({ scopes: GRAPH_DEFAULT });
    expect(rig.idp.grantCount('client_credentials')).toBe(1); // served from the cache the abandoned call filled
  });
});
