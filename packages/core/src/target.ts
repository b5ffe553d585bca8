// Where a request goes, and what it may carry there: resolved once per call, before ky sees it.
import { configError } from './errors/config-error.js';
import { redactUrl } from './redact.js';

export interface Target {
  url: string;
  /** `scheme://host[:port]`: a URL with this origin gets the same bearer decision. */
  origin: string;
  host: string;
  /** The host is one of the connection's Graph hosts (allowedHosts). */
  graphHost: boolean;
  /** The bearer token may be sent: an allowed host over https, or over http to a loopback host. */
  bearer: boolean;
}

// Leading spaces and control characters, which URL parsing strips, do not make a URL a path.
// eslint-disable-next-line no-control-regex -- matches the C0 controls the URL parser strips, on purpose
const ABSOLUTE = /^[\u0000-\u0020]*[a-z][a-z\d+.-]*:/i;
// A mistyped absolute URL (`ht tp://x`, `1https://x`): its first `:` is followed by `//` before any
// `/`, `?`, `#`, `(` or quote. Refused, as fetch would, not sent to the base URL as a path; paths
// (`users/x:y`, `me/drive/root:/a:b:`, `users?$filter=url eq 'https://…'`) have one of these first.
const MISTYPED_ABSOLUTE = /^[^/?#:()'"]*:\/\//;

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export function mayCarryBearer(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
}

/** May credentials travel to this URL? https anywhere, plain http only to a loopback host. */
export function isSecureEndpoint(url: string | URL): boolean {
  try {
    return mayCarryBearer(typeof url === 'string' ? new URL(url) : url);
  } catch {
    return false;
  }
}

/**
 * `https://user:pass@host/…`: fetch refuses to build such a Request (with a bare TypeError that
 * echoes the password), and Graph authenticates by bearer only. Refused early, without the secret.
 */
export function refuseUserinfo(url: URL, what: string): void {
  if (url.username || url.password) {
    throw configError(`${what} must not contain a user name or password (${url.origin}${url.pathname}): Graph takes the bearer token from \`session\``);
  }
}

// eslint-disable-next-line no-control-regex -- skips the C0 controls the URL parser strips, on purpose
const SCHEME = /^[\u0000-\u0020]*[a-z][a-z\d+.-]*:[/\\]*/i;
const MAX_ECHO = 200;

/**
 * For messages about unparsable input: whatever precedes the LAST `@` may be a user name and
 * password, and a password may itself hold `#`, `/`, `?` or `@` unencoded, so everything from the
 * scheme to the last `@` is redacted (a path's own `@` is redacted with it: safe, if less precise).
 */
export function withoutUserinfo(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const start = SCHEME.exec(text)?.[0].length ?? 0;
  return `${text.slice(0, start)}[redacted]${text.slice(at)}`;
}

/** An unparsable URL as a message may quote it: no user info, no secret query parameters, bounded. */
export function describeUrlInput(text: string): string {
  const safe = redactUrl(withoutUserinfo(text));
  return JSON.stringify(safe.length > MAX_ECHO ? `${safe.slice(0, MAX_ECHO - 1)}…` : safe);
}

/** Resolves paths against one base URL, with the base's own decisions computed once. */
export class TargetResolver {
  readonly #base: string;
  readonly #allowed: ReadonlySet<string>;
  readonly #baseTarget: Omit<Target, 'url'>;

  constructor(baseUrl: URL, allowedHosts: ReadonlySet<string>) {
    this.#base = baseUrl.href.replace(/\/+$/, '');
    this.#allowed = allowedHosts;
    this.#baseTarget = this.#decide(baseUrl);
  }

  /** Whether an absolute URL may receive the bearer token (a hook may have changed the URL). */
  mayCarryBearer(url: string): boolean {
    try {
      return this.resolve(url).bearer;
    } catch {
      return false;
    }
  }

  resolve(input: string | URL): Target {
    if (typeof input === 'string' && !ABSOLUTE.test(input) && !MISTYPED_ABSOLUTE.test(input)) {
      // Plain concatenation: URL resolution would drop the base's last segment (`/v1.0`).
      return { url: `${this.#base}/${input.replace(/^\/+/, '')}`, ...this.#baseTarget };
    }
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw configError(`invalid URL ${describeUrlInput(String(input))}: pass a path like 'me/messages' or an absolute https URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw configError(`unsupported URL scheme ${url.protocol} in ${url.origin}: use https`);
    }
    refuseUserinfo(url, 'a request URL');
    // fetch never sends a fragment; dropped, it cannot reach an error message either
    // (`https://user:#pa/ss@host` parses as host `user` and a fragment holding the rest).
    if (url.hash) url.hash = '';
    return { url: url.href, ...this.#decide(url) };
  }

  #decide(url: URL): Omit<Target, 'url'> {
    const host = url.host.toLowerCase();
    const graphHost = this.#allowed.has(host);
    return { origin: url.origin, host, graphHost, bearer: graphHost && mayCarryBearer(url) };
  }
}
