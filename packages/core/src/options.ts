// Connection options: the public shape, defaults, and validation with messages that name the fix.
import type { Hooks } from 'ky';
import { type ApiVersion, type CloudName, cloudEndpoint, isCloudName } from './clouds.js';
import { configError } from './errors/config-error.js';
import { type HeaderInput, normalizeHeaders } from './headers.js';
import { type Logger, resolveLogger } from './logger.js';
import { DEFAULT_RETRY, type RetryOptions, type RetryPolicy, resolveRetry } from './retry-policy.js';
import type { AuthSession } from './session.js';
import { isLoopback, refuseUserinfo, withoutUserinfo } from './target.js';

export interface ConnectionOptions {
  /** Where tokens come from; required for authenticated calls, not for `con.naive`. */
  session?: AuthSession;
  /** Default `https://<graph host>/.default`. */
  scopes?: string[];
  /** Default 'global'. */
  cloud?: CloudName;
  /** Default 'v1.0'. */
  apiVersion?: ApiVersion;
  /** Overrides cloud + apiVersion, e.g. a local simulator. */
  baseUrl?: string;
  /** Hosts (with port when not the scheme's default) that may receive the bearer token. Default: the base URL's host. */
  allowedHosts?: string[];
  /** A retry limit, or RetryOptions. Default 3 retries of 429/500/502/503/504. */
  retries?: number | RetryOptions;
  /** Milliseconds kept between request starts across the connection (python-o365's requests_delay). Default 0. */
  requestsDelay?: number;
  /** Requests in flight at once. Default unlimited. */
  maxConcurrency?: number;
  /** Milliseconds per attempt until response headers; false for none. Default 30,000. */
  timeout?: number | false;
  /** Default true; false resolves non-2xx responses instead of throwing GraphError. */
  raiseHttpErrors?: boolean;
  /** Merged into every request; a caller's `Prefer` joins the default's. */
  defaultHeaders?: HeaderInput;
  /** A custom fetch (a Node proxy dispatcher, tests). Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** ky hooks, run after graphwire's own. */
  hooks?: Hooks;
  /** Receives debug lines per attempt and per token refresh; never a token. */
  logger?: Partial<Logger>;
  /** Refresh this many ms before a token expires. Default 300,000 (5 min). */
  refreshMargin?: number;
}

export interface ResolvedOptions {
  session: AuthSession | undefined;
  scopes: string[];
  baseUrl: URL;
  allowedHosts: ReadonlySet<string>;
  retry: RetryPolicy;
  requestsDelay: number;
  maxConcurrency: number;
  timeout: number | false;
  raiseHttpErrors: boolean;
  defaultHeaders: Record<string, string>;
  fetch: typeof fetch;
  hooks: Hooks;
  logger: Logger;
  debugEnabled: boolean;
  refreshMargin: number;
}

const KNOWN = new Set([
  'session', 'scopes', 'cloud', 'apiVersion', 'baseUrl', 'allowedHosts', 'retries', 'requestsDelay',
  'maxConcurrency', 'timeout', 'raiseHttpErrors', 'defaultHeaders', 'fetch', 'hooks', 'logger', 'refreshMargin',
]);
// Largest delay setTimeout honours; anything above fires at once.
const MAX_TIMER = 2_147_483_647;

const isMs = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_TIMER;

export function resolveOptions(options: ConnectionOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw configError('Connection options must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw configError(`unknown option '${key}'; known options: ${[...KNOWN].join(', ')}`);
  }
  const { session, scopes, cloud = 'global', apiVersion = 'v1.0', requestsDelay = 0, timeout = 30_000 } = options;
  if (session !== undefined && typeof session?.getAccessToken !== 'function') {
    throw configError('session must implement getAccessToken(request) (an AuthSession such as MsalNodeSession or StaticTokenSession)');
  }
  if (!isCloudName(cloud)) throw configError(`cloud must be one of 'global', 'usgov', 'dod', 'china' (got ${JSON.stringify(cloud)})`);
  if (apiVersion !== 'v1.0' && apiVersion !== 'beta') throw configError(`apiVersion must be 'v1.0' or 'beta' (got ${JSON.stringify(apiVersion)})`);
  const endpoint = cloudEndpoint(cloud, apiVersion);
  const baseUrl = parseBaseUrl(options.baseUrl ?? endpoint.baseUrl);
  if (scopes !== undefined && !(Array.isArray(scopes) && scopes.length > 0 && scopes.every((s) => typeof s === 'string' && s !== ''))) {
    throw configError('scopes must be a non-empty array of scope strings, e.g. ["https://graph.microsoft.com/.default"]');
  }
  if (!isMs(requestsDelay)) throw configError('requestsDelay must be a non-negative number of milliseconds');
  const maxConcurrency = options.maxConcurrency ?? Number.POSITIVE_INFINITY;
  if (!(maxConcurrency === Number.POSITIVE_INFINITY || (Number.isInteger(maxConcurrency) && maxConcurrency >= 1))) {
    throw configError('maxConcurrency must be a whole number of at least 1');
  }
  if (timeout !== false && !(isMs(timeout) && timeout > 0)) throw configError('timeout must be a positive number of milliseconds, or false');
  const raiseHttpErrors = options.raiseHttpErrors ?? true;
  if (typeof raiseHttpErrors !== 'boolean') throw configError('raiseHttpErrors must be a boolean');
  const refreshMargin = options.refreshMargin ?? 300_000;
  if (!isMs(refreshMargin)) throw configError('refreshMargin must be a non-negative number of milliseconds');
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw configError('fetch must be a function with the signature of globalThis.fetch');
  if (options.hooks !== undefined && (typeof options.hooks !== 'object' || options.hooks === null)) throw configError('hooks must be an object of ky hook arrays');
  if (options.logger !== undefined && (typeof options.logger !== 'object' || options.logger === null)) throw configError('logger must be an object with debug/info/warn/error methods, e.g. console');
  if (options.defaultHeaders !== undefined && (typeof options.defaultHeaders !== 'object' || options.defaultHeaders === null)) throw configError('defaultHeaders must be an object of header names to values');
  return {
    session,
    scopes: scopes ? [...scopes] : [endpoint.defaultScope],
    baseUrl,
    allowedHosts: resolveAllowedHosts(options.allowedHosts, baseUrl),
    retry: resolveRetry(options.retries, DEFAULT_RETRY),
    requestsDelay,
    maxConcurrency,
    timeout,
    raiseHttpErrors,
    defaultHeaders: resolveDefaultHeaders(options.defaultHeaders),
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    hooks: options.hooks ?? {},
    logger: resolveLogger(options.logger),
    debugEnabled: typeof options.logger?.debug === 'function',
    refreshMargin,
  };
}

function resolveDefaultHeaders(value: HeaderInput | undefined): Record<string, string> {
  const headers = normalizeHeaders(value);
  if (headers.authorization !== undefined) {
    throw configError('defaultHeaders must not contain Authorization: pass the token through `session` (e.g. new StaticTokenSession(token)) so it reaches allowed hosts only');
  }
  return headers;
}

function parseBaseUrl(value: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw configError(`baseUrl must be an absolute URL such as https://graph.microsoft.com/v1.0 (got ${JSON.stringify(withoutUserinfo(String(value)))})`);
  }
  refuseUserinfo(url, 'baseUrl');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw configError(`baseUrl must use https (http is accepted only for loopback hosts such as a local simulator): ${url.origin}`);
  }
  if (url.search || url.hash) throw configError('baseUrl must not have a query string or fragment');
  return url;
}

function resolveAllowedHosts(value: unknown, baseUrl: URL): ReadonlySet<string> {
  if (value === undefined) return new Set([baseUrl.host.toLowerCase()]);
  // No `@`: `user:pass@host` is a credential, not a host (the message does not echo the entries).
  if (!Array.isArray(value) || !value.every((h) => typeof h === 'string' && /^[^/\s:@]+(:\d+)?$|^\[[^\]@]+\](:\d+)?$/.test(h))) {
    throw configError('allowedHosts must be an array of host names, with a port where it is not the default (e.g. ["graph.microsoft.com", "127.0.0.1:8080"]), without user names or passwords');
  }
  return new Set(value.map((h: string) => h.toLowerCase()));
}
