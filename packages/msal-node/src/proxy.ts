import { EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici';
import { optionRules as rules, type OptionRules } from '@graphwire/core';
import { checkOptions, configError } from './errors.js';
import { PROXY_RULE } from './options.js';

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
    let url: URL;
    try {
      url = new URL(proxy);
    } catch {
      // No cause: Node's URL error keeps the input, which may hold the proxy password.
      throw configError(`${owner}: option 'proxy' is not a URL: give it as http://[user:password@]host:port`);
    }
    // ProxyAgent turns the URL's user:password into Proxy-Authorization itself.
    return new ProxyAgent(url.href);
  }
  const env = options.env ?? process.env;
  const pick = (name: string) => env[name] ?? env[name.toLowerCase()];
  const httpsProxy = pick('HTTPS_PROXY');
  const httpProxy = pick('HTTP_PROXY');
  if (!httpsProxy && !httpProxy) return undefined;
  return new EnvHttpProxyAgent({
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    noProxy: pick('NO_PROXY') ?? '',
  });
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
