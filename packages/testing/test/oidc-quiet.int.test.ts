import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startOidcProvider, TEST_CLIENTS } from '../src/oidc/index.js';
import { SUPPRESSED_WARNINGS, withoutSuppressedWarnings } from '../src/oidc/load-oidc-provider.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/oidc-quiet.ts', import.meta.url));

function run(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, fixture], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the local OpenID provider prints nothing of its own', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('a fresh process: import, start, every flow — no oidc-provider line; other warnings still show', async () => {
    const { code, stdout, stderr } = await run();
    expect(stderr).not.toMatch(/oidc-provider/);
    expect(stdout).not.toMatch(/oidc-provider/); // nor its NOTICE lines (console.info)
    expect(stderr).toContain('an unrelated console warning');
    expect(stderr).toContain('Warning: an unrelated process warning');
    expect(code).toBe(0);
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { statuses: Record<string, number>; deviceAuthorizations: number };
    expect(result.statuses).toEqual({
      '/token client_credentials': 200,
      '/devicecode': 200,
      '/token device_code': 200,
      '/token refresh_token': 200,
      '/token authorization_code': 200,
    });
    expect(result.deviceAuthorizations).toBe(1);
  }, 60_000);

  it('in this process: starting and a token request reach console.warn with nothing', async () => {
    const warn = vi.spyOn(console, 'warn');
    const idp = await startOidcProvider();
    try {
      const res = await fetch(`${idp.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials', client_id: TEST_CLIENTS.confidential.clientId,
          client_secret: TEST_CLIENTS.confidential.clientSecret, scope: 'https://graph.microsoft.com/.default',
        }),
      });
      expect(res.status).toBe(200);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      await idp.close();
    }
  });

  it('the filter drops exactly the listed lines, coloured or not, and restores console.warn', async () => {
    const original = console.warn;
    const seen: unknown[][] = [];
    console.warn = (...args: unknown[]) => { seen.push(args); };
    try {
      const line = SUPPRESSED_WARNINGS[0] ?? '';
      await withoutSuppressedWarnings(async () => {
        console.warn(line);
        console.warn(`\u001b[31;1m${line}\u001b[0m`); // how it looks when stderr is a TTY
        console.warn(`${line} and more`);
        console.warn('oidc-provider WARNING: something else');
        console.warn('prefix', line);
      });
      console.warn(line); // outside the import, nothing is filtered
      expect(seen).toEqual([[`${line} and more`], ['oidc-provider WARNING: something else'], ['prefix', line], [line]]);
    } finally {
      console.warn = original;
    }
    expect(console.warn).toBe(original);
  });

  it('counts device authorization requests', async () => {
    const idp = await startOidcProvider();
    try {
      expect(idp.stats.deviceAuthorizations).toBe(0);
      const res = await fetch(`${idp.issuer}/devicecode`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: TEST_CLIENTS.public.clientId, scope: 'openid User.Read' }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { interval?: number }).interval).toBe(1);
      expect(idp.stats.deviceAuthorizations).toBe(1);
      idp.resetStats();
      expect(idp.stats.deviceAuthorizations).toBe(0);
    } finally {
      await idp.close();
    }
  });
});
