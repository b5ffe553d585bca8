// Connection options: the public shape, defaults, and validation with messages that name the fix.
import type { Hooks } from 'ky';
import { type ApiVersion, type CloudName, cloudEndpoint } from './clouds.js';
import { configError } from './errors/config-error.js';
import { type HeaderInput, normalizeHeaders } from './headers.js';
import { type Logger, resolveLogger } from './logger.js';
import { type OptionRule, type OptionRules, isPlainObject, oneOf, rules, validateOptions } from './option-rules.js';
import { DEFAULT_RETRY, RETRY_RULE, type RetryOptions, type RetryPolicy, resolveRetry } from './retry-policy.js';
import type { AuthSession } from './session.js';
import type { Telemetry } from './telemetry.js';
import type { ThrottleChannel } from './throttle-channel.js';
import { describeUrlInput, isLoopback, refuseUserinfo } from './target.js';

/**
 * Options of `new Connection(options)`; every one is optional. An unknown key or a wrong type is a
 * TypeError naming the option (`[@graphwire/core] Connection: option 'timeout' must be …`).
 */
export interface ConnectionOptions {
  /** Where tokens come from; required for authenticated calls, not for `con.naive`. */
  session?: AuthSession;
  /** Scopes passed to the session with every token request. Default `['https://<graph host>/.default']`. */
  scopes?: string[];
  /** The national cloud: sets the base URL, the default scope and the allowed host. Default `'global'` (graph.microsoft.com). */
  cloud?: CloudName;
  /** The Graph API version in the base URL. Default `'v1.0'`. */
  apiVersion?: ApiVersion;
  /** Overrides cloud + apiVersion, e.g. a local simulator: https, or http on a loopback host only. */
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
  /** Default true; false resolves non-2xx responses (after retries) instead of rejecting with a GraphError. */
  raiseHttpErrors?: boolean;
  /** Merged into every request; a caller's `Prefer` joins the default's. Must not contain Authorization. */
  defaultHeaders?: HeaderInput;
  /** A custom fetch (a Node proxy dispatcher, tests). Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** ky hooks, run after graphwire's own. */
  hooks?: Hooks;
  /** `{ debug, info, warn, error }`, e.g. `console`: a debug line per attempt and per token refresh; never a token. Default silent. */
  logger?: Partial<Logger>;
  /** Refresh this many ms before a token expires. Default 300,000 (5 min). */
  refreshMargin?: number;
  /** Spans and metrics: `openTelemetry()` from '@graphwire/core/opentelemetry', or your own hooks. Default none. */
  telemetry?: Telemetry;
  /**
   * Shares 429 pauses with other Connections: each pause this one starts is published, each one
   * heard is applied as if this connection had seen the 429. `new BroadcastChannelThrottle()` for
   * tabs and workers, `RedisThrottleChannel` from '@graphwire/redis' for service instances. Closing
   * the Connection unsubscribes; the channel stays open (it may be shared). Default none.
   */
  throttleChannel?: ThrottleChannel;
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
  telemetry: Telemetry | undefined;
  throttleChannel: ThrottleChannel | undefined;
}

// ky 2's hook names (Hooks in ky/distribution/types/hooks.d.ts): each an array of functions.
const HOOK_LIST: OptionRule = { expected: 'an array of functions', test: (v) => Array.isArray(v) && v.every((f) => typeof f === 'function') };
const HOOK_RULES: OptionRules = {
  init: HOOK_LIST,
  beforeRequest: HOOK_LIST,
  beforeRetry: HOOK_LIST,
  afterResponse: HOOK_LIST,
  beforeError: HOOK_LIST,
};
/** A connection's or one request's per-attempt timeout. */
export const TIMEOUT_RULE: OptionRule = {
  expected: 'a positive number of milliseconds (at most 2147483647), or false', test: (v) => v === false || rules.positiveMilliseconds.test(v),
};
/** `hooks`, of the Connection or of one request: ky's hook names only, each an array of functions. */
export const HOOKS_RULE: OptionRule = { expected: 'an object of ky hook arrays, e.g. { beforeRequest: [fn] }', test: isPlainObject, keys: HOOK_RULES };
const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;
const TELEMETRY_HOOKS = ['request', 'throttled', 'tokenAcquired'] as const;
const HOST = /^[^/\s:@]+(:\d+)?$|^\[[^\]@]+\](:\d+)?$/;

const RULES: OptionRules = {
  session: {
    expected: 'an AuthSession (an object with a getAccessToken(request) method, such as MsalNodeSession or StaticTokenSession)',
    test: (v) => typeof v === 'object' && v !== null && typeof (v as AuthSession).getAccessToken === 'function',
  },
  scopes: rules.scopes,
  cloud: oneOf('global', 'usgov', 'dod', 'china'),
  apiVersion: oneOf('v1.0', 'beta'),
  baseUrl: { expected: 'an absolute URL such as https://graph.microsoft.com/v1.0', test: (v) => typeof v === 'string' || v instanceof URL },
  // No `@`: `user:pass@host` is a credential, not a host (the message does not echo the entries).
  allowedHosts: {
    expected: 'an array of host names, with a port where it is not the default (e.g. ["graph.microsoft.com", "127.0.0.1:8080"]), without user names or passwords',
    test: (v) => Array.isArray(v) && v.every((h) => typeof h === 'string' && HOST.test(h)),
  },
  retries: { ...RETRY_RULE, aliases: ['retry', 'maxRetries'] },
  requestsDelay: rules.milliseconds,
  maxConcurrency: {
    expected: 'a whole number of at least 1',
    test: (v) => v === Number.POSITIVE_INFINITY || rules.positiveInteger.test(v),
  },
  timeout: TIMEOUT_RULE,
  raiseHttpErrors: rules.boolean,
  defaultHeaders: { expected: 'an object of header names to values, or Headers', test: (v) => typeof v === 'object' && v !== null },
  fetch: { expected: 'a function with the signature of globalThis.fetch', test: (v) => typeof v === 'function' },
  hooks: HOOKS_RULE,
  logger: {
    // Not checked key by key: `console` has many more methods. A `{ log }` logger would log nothing.
    expected: 'an object with debug, info, warn and/or error methods, e.g. console',
    test: (v) => typeof v === 'object' && v !== null
      && LOGGER_METHODS.some((m) => typeof (v as Record<string, unknown>)[m] === 'function')
      && LOGGER_METHODS.every((m) => (v as Record<string, unknown>)[m] === undefined || typeof (v as Record<string, unknown>)[m] === 'function'),
  },
  refreshMargin: rules.milliseconds,
  telemetry: {
    expected: "a Telemetry: an object with request, throttled and/or tokenAcquired methods, e.g. openTelemetry() from '@graphwire/core/opentelemetry'",
    test: (v) => typeof v === 'object' && v !== null
      && TELEMETRY_HOOKS.some((m) => typeof (v as Record<string, unknown>)[m] === 'function')
      && TELEMETRY_HOOKS.every((m) => (v as Record<string, unknown>)[m] === undefined || typeof (v as Record<string, unknown>)[m] === 'function'),
  },
  throttleChannel: {
    expected: 'a ThrottleChannel (an object with publish and subscribe methods, e.g. new BroadcastChannelThrottle())',
    test: (v) => typeof v === 'object' && v !== null
      && typeof (v as ThrottleChannel).publish === 'function' && typeof (v as ThrottleChannel).subscribe === 'function',
  },
};

export function resolveOptions(options: ConnectionOptions = {}): ResolvedOptions {
  validateOptions('@graphwire/core', 'Connection', options, RULES);
  const { session, scopes, cloud = 'global', apiVersion = 'v1.0', requestsDelay = 0, timeout = 30_000 } = options;
  const endpoint = cloudEndpoint(cloud, apiVersion);
  const baseUrl = parseBaseUrl(options.baseUrl ?? endpoint.baseUrl);
  return {
    session,
    scopes: scopes ? [...scopes] : [endpoint.defaultScope],
    baseUrl,
    allowedHosts: options.allowedHosts === undefined ? new Set([baseUrl.host.toLowerCase()]) : new Set(options.allowedHosts.map((h) => h.toLowerCase())),
    retry: resolveRetry(options.retries, DEFAULT_RETRY),
    requestsDelay,
    maxConcurrency: options.maxConcurrency ?? Number.POSITIVE_INFINITY,
    timeout,
    raiseHttpErrors: options.raiseHttpErrors ?? true,
    defaultHeaders: resolveDefaultHeaders(options.defaultHeaders),
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    hooks: options.hooks ?? {},
    logger: resolveLogger(options.logger),
    debugEnabled: typeof options.logger?.debug === 'function',
    refreshMargin: options.refreshMargin ?? 300_000,
    telemetry: options.telemetry,
    throttleChannel: options.throttleChannel,
  };
}

function resolveDefaultHeaders(value: HeaderInput | undefined): Record<string, string> {
  const headers = normalizeHeaders(value);
  if (headers.authorization !== undefined) {
    throw configError("Connection: option 'defaultHeaders' must not contain Authorization: pass the token through `session` (e.g. new StaticTokenSession(token)) so it reaches allowed hosts only");
  }
  return headers;
}

function parseBaseUrl(value: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw configError(`Connection: option 'baseUrl' must be an absolute URL such as https://graph.microsoft.com/v1.0 (got ${describeUrlInput(String(value))})`);
  }
  refuseUserinfo(url, "Connection: option 'baseUrl'");
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw configError(`Connection: option 'baseUrl' must use https (http is accepted only for loopback hosts such as a local simulator): ${url.origin}`);
  }
  if (url.search || url.hash) throw configError("Connection: option 'baseUrl' must not have a query string or fragment");
  return url;
}
