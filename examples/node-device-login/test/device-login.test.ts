import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CLIENTS } from '@graphwire/testing';
import { DEFAULT_TOKEN_DIR, readConfig } from '../src/config.js';
import { runDeviceLogin } from '../src/device-login.js';
import { startLocalTenant, type LocalTenant } from '../src/local.js';

describe('node-device-login against the local provider and simulator', () => {
  let local: LocalTenant;
  let tokenDir: string;
  const lines: string[] = [];
  beforeAll(async () => {
    local = await startLocalTenant((line) => lines.push(line));
    tokenDir = mkdtempSync(path.join(os.tmpdir(), 'gw-device-example-'));
  });
  afterAll(async () => {
    await local.close();
    rmSync(tokenDir, { recursive: true, force: true });
  });

  it('first run: shows the code, the scripted user signs in, prints me, saves the tokens', async () => {
    const first = await runDeviceLogin({ ...local.login, tokenDir, print: (line) => lines.push(line) });
    expect(first).toEqual({ deviceCodeShown: true, username: 'alice@example.test', displayName: 'Alice Example', mail: 'alice@example.test' });
    expect(lines[0]).toMatch(new RegExp(`^To sign in, open ${local.idp.issuer}/device and enter the code \\S+$`));
    expect(lines.slice(1)).toEqual([
      '  (a scripted user opens that page, enters the code and signs in as alice)',
      `Signed in as alice@example.test; tokens saved in ${tokenDir}`,
      'Hello, Alice Example (alice@example.test)',
    ]);
    expect(local.idp.stats.deviceAuthorizations).toBe(1);
    expect(local.graph.stats.tokensSeen).toHaveLength(1);
    const file = path.join(tokenDir, `msal.${TEST_CLIENTS.public.clientId}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('second run on the same directory: no device request, no token request at all', async () => {
    const before = { ...local.idp.stats.tokenRequests };
    lines.length = 0;
    const second = await runDeviceLogin({ ...local.login, tokenDir, print: (line) => lines.push(line) });
    expect(second).toMatchObject({ deviceCodeShown: false, username: 'alice@example.test', displayName: 'Alice Example' });
    expect(lines).toEqual([`Found a saved sign-in for alice@example.test in ${tokenDir}`, 'Hello, Alice Example (alice@example.test)']);
    expect(local.idp.stats.deviceAuthorizations).toBe(1); // still only the first run's
    expect(local.idp.stats.tokenRequests).toEqual(before); // the access token came from the file
  });
});

it('a scripted sign-in that fails stops the wait at once instead of polling until the code expires', async () => {
  const local = await startLocalTenant(() => undefined);
  const tokenDir = mkdtempSync(path.join(os.tmpdir(), 'gw-device-example-'));
  try {
    const failing = { ...local.login, completeSignIn: async () => { throw new Error('the scripted user gave up'); } };
    await expect(runDeviceLogin({ ...failing, tokenDir, print: () => undefined })).rejects.toThrow('the scripted user gave up');
  } finally {
    await local.close();
    rmSync(tokenDir, { recursive: true, force: true });
  }
});

describe('readConfig', () => {
  it('local by default; a real tenant needs both ids and keeps tokens in ~/.graphwire-example', () => {
    expect(readConfig({})).toEqual({ mode: 'local', tokenDir: undefined });
    expect(readConfig({ GRAPHWIRE_TOKEN_DIR: '/tmp/t' })).toEqual({ mode: 'local', tokenDir: '/tmp/t' });
    expect(readConfig({ GRAPHWIRE_CLIENT_ID: 'app', GRAPHWIRE_TENANT_ID: 'contoso.onmicrosoft.com' })).toEqual({
      mode: 'tenant', clientId: 'app', tenantId: 'contoso.onmicrosoft.com', tokenDir: DEFAULT_TOKEN_DIR,
    });
    expect(DEFAULT_TOKEN_DIR).toBe(path.join(os.homedir(), '.graphwire-example'));
    expect(() => readConfig({ GRAPHWIRE_CLIENT_ID: 'app' })).toThrow('Set GRAPHWIRE_TENANT_ID too');
  });
});
