import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CLIENTS } from '@graphwire/testing';
import { readConfig } from '../src/config.js';
import { startLocalTenant, type LocalTenant } from '../src/local.js';
import { runService, toCsv } from '../src/service.js';

describe('node-service against the local provider and simulator', () => {
  let local: LocalTenant;
  beforeAll(async () => { local = await startLocalTenant(); });
  afterAll(() => local.close());

  it('lists, batches, uploads the report, shows throttling, and prints what it did', async () => {
    const lines: string[] = [];
    const summary = await runService({ ...local.service, print: (line) => lines.push(line) });

    expect(summary).toMatchObject({ users: 42, pages: 5, detailed: 42, failed: 0, report: { name: 'users.csv' } });
    expect(summary.throttling?.requests).toBe(60);
    // Paced to the budget the batch calls' 429s revealed, the burst draws (almost) none; without
    // pacing, retries after the pause drew 14.
    expect(summary.throttling?.tooManyRequests).toBeLessThanOrEqual(2);
    expect(lines).toContain('  page 1: 10 users (10 so far)');
    expect(lines).toContain('  page 5: 2 users (42 so far)');
    expect(lines).toContain('  details: 42/42');
    expect(lines.some((l) => /^ {2}upload: 100% \(\d+ of \d+ bytes\)$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe(`Done: 42 users in 5 pages, details of 42 (0 failed), report users.csv (${summary.report.size} bytes) at users/user-1/drive/root:/graphwire/users.csv`);

    expect(local.idp.grantCount('client_credentials')).toBe(1); // one token for everything

    // The report is on the drive: a header and one row per user.
    const csv = await fetch(`${local.graph.url}/v1.0/users/user-1/drive/root:/graphwire/users.csv:/content`, {
      headers: { authorization: `Bearer ${await appToken(local)}` },
    }).then((r) => r.text());
    const rows = csv.trimEnd().split('\r\n');
    expect(rows).toHaveLength(43);
    expect(rows[1]).toBe('user-1,User 1,user1@contoso.test,user1@contoso.test,,');
  });
});

/** A token of the test app straight from the provider's token endpoint. */
async function appToken(local: LocalTenant): Promise<string> {
  const res = await fetch(`${local.idp.issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default',
      client_id: TEST_CLIENTS.confidential.clientId, client_secret: TEST_CLIENTS.confidential.clientSecret,
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('readConfig', () => {
  const tenant = { GRAPHWIRE_CLIENT_ID: 'app', GRAPHWIRE_TENANT_ID: 'contoso.onmicrosoft.com', GRAPHWIRE_CLIENT_SECRET: 's' };

  it('runs locally without credentials, and against the tenant with all three', () => {
    expect(readConfig({})).toEqual({ mode: 'local' });
    expect(readConfig({ ...tenant, GRAPHWIRE_UPLOAD_USER: 'ops@contoso.com' })).toEqual({
      mode: 'tenant',
      service: { clientId: 'app', tenantId: 'contoso.onmicrosoft.com', clientSecret: 's', uploadPath: 'users/ops@contoso.com/drive/root:/graphwire/users.csv:' },
    });
    expect(readConfig({ ...tenant, GRAPHWIRE_UPLOAD_PATH: 'drives/b!x/root:/r.csv:' })).toMatchObject({ service: { uploadPath: 'drives/b!x/root:/r.csv:' } });
  });

  it('says what is missing', () => {
    expect(() => readConfig({ GRAPHWIRE_CLIENT_ID: 'app' })).toThrow('Set GRAPHWIRE_TENANT_ID and GRAPHWIRE_CLIENT_SECRET too');
    expect(() => readConfig(tenant)).toThrow(/Set GRAPHWIRE_UPLOAD_USER/);
    expect(() => readConfig({ ...tenant, GRAPHWIRE_UPLOAD_PATH: 'me/drive/root:/r.csv' })).toThrow(/ending in ":"/);
  });
});

it('toCsv quotes what needs quoting', () => {
  expect(toCsv([{ id: '1', displayName: 'Doe, "Jo"', mail: null }])).toBe(
    'id,displayName,mail,userPrincipalName,jobTitle,department\r\n1,"Doe, ""Jo""",,,,\r\n',
  );
});
