// A low-cardinality template of a request URL, for span names and attributes: the path only (never
// the query string, which may hold a SharePoint `tempauth`, a `$skiptoken` or filter values), with
// ids, user names and drive paths replaced by placeholders.

/** What `urlTemplate` makes of a URL: a low-cardinality path template and the server's address. */
export interface UrlParts {
  /** `/v1.0/users/{id}/messages` */
  template: string;
  /** Host name without port. */
  address: string;
  /** The port, explicit or the scheme's default. */
  port: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^\d+$/;
const VERSION = /^(?:v\d+(?:\.\d+)?|beta)$/;
// `root:/folder/file.txt:` path addressing, also at the end of the path (`root:/folder/file.txt`),
// and every occurrence: a site addressed by path has a drive path after its own (`…com:/sites/hr:/drive/root:/a.docx:`).
const DRIVE_PATH = /:\/[^:]*(:|$)/g;
// `range(address='A1:B2')`, `delta(token='…')`: a function segment keeps its name, not its arguments.
const FUNCTION = /^([^()]*)\((.+)\)$/;

/** One path segment as it appears in a template. */
export function templateSegment(segment: string): string {
  if (segment === '' || VERSION.test(segment)) return segment;
  if (GUID.test(segment) || NUMBER.test(segment)) return '{id}';
  // A UPN or mail address; anything percent-encoded (a file name, a quoted key): never a resource name.
  if (segment.includes('@') || segment.includes('%')) return '{id}';
  const call = FUNCTION.exec(segment);
  if (call) return `${call[1]}({args})`;
  if (segment.length > 64) return '{id}';
  // Opaque ids: long with id punctuation, several digits or an upper-case run (`AAMkAGI2…=`,
  // `contoso.sharepoint.com,guid,guid`, `01BYE5RZ…`), or short with a digit joined by `-`/`_`
  // (`user-1`). Graph's resource names are camelCase with a digit at most (`oauth2PermissionGrants`).
  if (segment.length >= 16 && (/[=_,!+-]/.test(segment) || /\d.*\d.*\d/.test(segment) || /[A-Z]{4}/.test(segment))) return '{id}';
  if (/\d/.test(segment) && /[-_]/.test(segment)) return '{id}';
  if (/['"]/.test(segment)) return '{id}';
  return segment;
}

/** `https://graph.microsoft.com/v1.0/users/a@b.c/messages?$top=5` → `/v1.0/users/{id}/messages`. */
export function urlTemplate(url: string): UrlParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { template: '/{unknown}', address: '', port: 0 };
  }
  const path = parsed.pathname.replace(DRIVE_PATH, (_, end: string) => `:{path}${end}`);
  const template = path.split('/').map((segment) => {
    const drive = segment.indexOf(':{path}');
    return drive >= 0 ? `${templateSegment(segment.slice(0, drive))}${segment.slice(drive)}` : templateSegment(segment);
  }).join('/');
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'http:' ? 80 : 443;
  return { template, address: parsed.hostname, port };
}
