// A daemon that reports on every user of a tenant: it signs in as itself (client credentials),
// lists the users page by page, fetches their details with JSON batching and uploads a CSV report.
import { Connection, MemoryTokenStore } from '@graphwire/core';
import { MsalNodeSession } from '@graphwire/msal-node';
import type { GraphSimulator, MsalAuthorityConfig } from '@graphwire/testing';
import type { DriveItem, User } from '@microsoft/microsoft-graph-types';
import { throttleBurst, type ThrottleDemoResult } from './throttle-demo.js';

export interface ServiceOptions {
  clientId: string;
  clientSecret: string;
  /** Your Azure AD tenant (id or domain). Not needed with `msal` (the local provider). */
  tenantId?: string;
  /** Only for the local OpenID provider: its MSAL settings (`idp.msal`). */
  msal?: MsalAuthorityConfig;
  /** Graph's base URL; default https://graph.microsoft.com/v1.0. */
  baseUrl?: string;
  /** Drive path the report goes to, ending in `:`, e.g. `users/{id}/drive/root:/graphwire/users.csv:`. */
  uploadPath: string;
  /** Users per page (`$top`); default 999, Graph's maximum for users. */
  pageSize?: number;
  /** Only for the local Graph simulator: also show what a burst against its throttle budget does. */
  simulator?: Pick<GraphSimulator, 'stats'>;
  print?: (line: string) => void;
}

export interface ServiceSummary {
  users: number;
  pages: number;
  /** Users whose details came back, and those whose batch item failed. */
  detailed: number;
  failed: number;
  report: { name: string; size: number; webUrl?: string };
  throttling?: ThrottleDemoResult;
}

/** What each row of the report holds. */
const COLUMNS = ['id', 'displayName', 'mail', 'userPrincipalName', 'jobTitle', 'department'] as const;

export async function runService(options: ServiceOptions): Promise<ServiceSummary> {
  const print = options.print ?? console.log;
  const session = new MsalNodeSession({
    flow: 'credentials',
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    tenantId: options.tenantId,
    msal: options.msal, // the local provider's authority and endpoints; unset for Azure AD
    // A daemon can ask for a new token at any time: no need to keep one on disk.
    tokenStore: new MemoryTokenStore(),
  });
  // session.fetch applies the same proxy settings (HTTPS_PROXY) to Graph as to the token calls.
  const con = new Connection({ session, fetch: session.fetch, baseUrl: options.baseUrl });
  try {
    // 1. Every user, following @odata.nextLink page by page.
    print('Listing users…');
    const ids: string[] = [];
    let pages = 0;
    const listing = con.paginate<User>('users', { searchParams: { $select: 'id', $top: options.pageSize ?? 999 } });
    for await (const page of listing.pages()) {
      pages++;
      for (const user of page.value) if (user.id) ids.push(user.id);
      print(`  page ${pages}: ${page.value.length} users (${ids.length} so far)`);
    }

    // 2. Their details: one GET per user, sent 20 to a $batch call; results come back in input order.
    print(`Fetching details of ${ids.length} users…`);
    const select = COLUMNS.join(',');
    const results = await con.batch<User>(
      ids.map((id) => ({ method: 'GET', url: `users/${id}?$select=${select}` })),
      { onProgress: (done, total) => { if (done % 20 === 0 || done === total) print(`  details: ${done}/${total}`); } },
    );
    const users: User[] = [];
    for (const result of results) {
      // A failed item carries a GraphError; the rest of the batch is unaffected.
      if (result.error) print(`  ${result.error.status} ${result.error.code} for request ${result.id}`);
      else users.push(result.body as User);
    }

    // 3. The report, through con.upload: one PUT up to 4 MiB, an upload session in slices above.
    const csv = new TextEncoder().encode(toCsv(users));
    print(`Uploading the report (${csv.length} bytes)…`);
    const item = await con.upload<DriveItem>(options.uploadPath, csv, {
      conflictBehavior: 'replace',
      onProgress: (sent, total) => print(`  upload: ${Math.round((100 * sent) / total)}% (${sent} of ${total} bytes)`),
    });

    const report = { name: item.name ?? '', size: item.size ?? csv.length, ...(item.webUrl ? { webUrl: item.webUrl } : {}) };
    const throttling = options.simulator ? await throttleBurst(con, options.simulator, print) : undefined;
    const failed = results.length - users.length;
    print(`Done: ${ids.length} users in ${pages} pages, details of ${users.length} (${failed} failed), ` +
      `report ${report.name} (${report.size} bytes) at ${report.webUrl ?? options.uploadPath.replace(/:$/, '')}`);
    return { users: ids.length, pages, detailed: users.length, failed, report, ...(throttling ? { throttling } : {}) };
  } finally {
    await con.close();
  }
}

/** RFC 4180 CSV: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function toCsv(users: readonly User[]): string {
  const field = (value: string | null | undefined): string => {
    const text = value ?? '';
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const rows = users.map((user) => COLUMNS.map((column) => field(user[column])).join(','));
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
