// Where a request goes, and what it may carry there: resolved once per call, before ky sees it.
import { configError } from './errors/config-error.js';

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

const ABSOLUTE = /^[a-z][a-z\d+.-]*:/i;

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

/** For messages about unparsable input: whatever precedes an `@` in the authority may be a password. */
export function withoutUserinfo(text: string): string {
  return text.replace(/^([a-z][a-z\d+.-]*:\/*)[^/?#]*@/i, '$1[redacted]@');
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
    if (typeof input === 'string' && !ABSOLUTE.test(input)) {
      // Plain concatenation: URL resolution would drop the base's last segment (`/v1.0`).
      return { url: `${this.#base}/${input.replace(/^\/+/, '')}`, ...this.#baseTarget };
    }
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw configError(`invalid URL ${JSON.stringify(withoutUserinfo(String(input)))}: pass a path like 'me/messages' or an absolute https URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw configError(`unsupported URL scheme ${url.protocol} in ${url.origin}: use https`);
    }
    refuseUserinfo(url, 'a request URL');
    return { url: url.href, ...this.#decide(url) };
  }

  #decide(url: URL): Omit<Target, 'url'> {
    const host = url.host.toLowerCase();
    const graphHost = this.#allowed.has(host);
    return { origin: url.origin, host, graphHost, bearer: graphHost && mayCarryBearer(url) };
  }
}
