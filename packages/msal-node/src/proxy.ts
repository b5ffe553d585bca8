import { EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici';
import { optionRules as rules, type OptionRules } from '@graphwire/core';
import { checkOptions, configError } from './errors.js';
import { PROXY_RULE } from './options.js';

/** Options of `createNodeFetch()` and `createProxyDispatcher()`; invalid ones throw a `TypeError`. */
export interface NodeFetchOptions {
  /**
   * Proxy URL for every request, credentials allowed (`http://user:pass@proxy:3128`). Default: the
   * HTTPS_PROXY / HTTP_PROXY / NO_PROXY environment variables (either case). `false`: no proxy.
   */
  proxy?: string | URL | false;
  /** Environment to read the proxy variables from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

export const NODE_FETCH_RULES: OptionRules = {
  proxy: { ...PROXY_RULE, aliases: ['proxyUrl', 'proxy_server', 'url'] },
  env: {
    expected: 'an object of environment variables (strings), e.g. process.env',
    test: (v) => rules.object.test(v) && Object.values(v as object).every((x) => x === undefined || typeof x === 'string'),
  },
};

/** The fetch signature graphwire and MSAL's network client use. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** undici dispatcher for the proxy settings, or undefined when requests go direct. */
export function createProxyDispatcher(options: NodeFetchOptions = {}): Dispatcher | undefined {
  return proxyDispatcher(checkOptions('createProxyDispatcher', options, NODE_FETCH_RULES) ?? {}, 'createProxyDispatcher');
}

/** `owner` names the public entry point in messages (the session's own proxy is validated with its options). */
export function proxyDispatcher(options: NodeFetchOptions, owner: string): Dispatcher | undefined {
  const { proxy } = options;
  if (proxy === false) return undefined;
  if (proxy !== undefined) {
    const url = proxyUrl(proxy, `${owner}: option 'proxy'`);
    // ProxyAgent turns the URL's user:password into Proxy-Authorization itself.
    return build(() => new ProxyAgent(url), `${owner}: option 'proxy'`);
  }
  const env = options.env ?? process.env;
  const pick = (name: string) => {
    const key = env[name] !== undefined ? name : name.toLowerCase();
    const value = env[key];
    return value ? { name: key, value } : undefined;
  };
  const httpsProxy = pick('HTTPS_PROXY');
  const httpProxy = pick('HTTP_PROXY');
  if (!httpsProxy && !httpProxy) return undefined;
  const what = (found: { name: string }) => `${owner}: the ${found.name} environment variable`;
  // Both given explicitly ('' for none): undici would otherwise read process.env itself, unchecked,
  // even when `env` was passed. With HTTP_PROXY only, https requests use it too (undici's rule).
  const agentOptions = {
    httpProxy: httpProxy ? proxyUrl(httpProxy.value, what(httpProxy)) : '',
    httpsProxy: httpsProxy ? proxyUrl(httpsProxy.value, what(httpsProxy)) : '',
    noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
  };
  return build(() => new EnvHttpProxyAgent(agentOptions), `${owner}: the proxy environment variables`);
}

/**
 * A proxy URL checked before undici sees it: Node's URL error and undici's keep the input, which
 * may hold the proxy password, so neither is passed on (not even as `cause`).
 */
function proxyUrl(value: string | URL, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(`${what} is not a URL: give it as http://[user:password@]host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // The scheme is not echoed: in `user:password@host` it would be the user name.
    throw configError(`${what} must be an http:// or https:// proxy URL, such as http://[user:password@]host:port`);
  }
  return url.href;
}

function build<T>(make: () => T, what: string): T {
  try {
    return make();
  } catch {
    throw configError(`${what} could not be used as a proxy URL: give it as http://[user:password@]host:port`);
  }
}

/**
 * A fetch that goes through the proxy settings: pass it as the Connection's `fetch` so Graph calls
 * take the same route as the session's token calls. It is Node's own global fetch with an undici 7
 * dispatcher (measured to work on Node 20's bundled undici 6), so responses stay the global
 * `Response` class that ky and user code check against.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): FetchLike {
  return nodeFetch(checkOptions('createNodeFetch', options, NODE_FETCH_RULES) ?? {}, 'createNodeFetch');
}

export function nodeFetch(options: NodeFetchOptions, owner: string): FetchLike {
  const dispatcher = proxyDispatcher(options, owner);
  if (!dispatcher) return (input, init) => globalThis.fetch(input, init);
  return (input, init) => globalThis.fetch(input, { ...init, dispatcher } as RequestInit);
}
