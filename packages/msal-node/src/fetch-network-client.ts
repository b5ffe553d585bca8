import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { isSecureEndpoint } from '@graphwire/core';
import { configError, setupError } from './errors.js';
import type { FetchLike } from './proxy.js';

// A token endpoint that hangs must not hang every Graph call waiting on the token.
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * MSAL's network module over a graphwire fetch. msal-node 7's own client calls the global fetch
 * with no way to set a proxy; routing token calls through the same fetch as Graph calls is what
 * makes the `proxy` option (and HTTPS_PROXY) apply to both.
 */
export class FetchNetworkClient implements INetworkModule {
  readonly #fetch: FetchLike;

  constructor(fetch: FetchLike) {
    if (typeof fetch !== 'function') throw configError('FetchNetworkClient: the argument must be a fetch function, e.g. createNodeFetch()');
    this.#fetch = fetch;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, 'GET', options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, 'POST', options);
  }

  async #send<T>(url: string, method: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    // Token requests carry the client secret, refresh token or password: never over plain http to a
    // remote host, and never re-sent to wherever a redirect points.
    if (!isSecureEndpoint(url)) {
      throw setupError(`refusing to send a token request over plain http to ${new URL(url).host}: identity endpoints must use https (http only on loopback)`);
    }
    const init: RequestInit = { method, headers: options?.headers ?? {}, redirect: 'error' };
    if (method === 'POST') init.body = options?.body ?? '';
    init.signal = AbortSignal.timeout(timeout || DEFAULT_TIMEOUT_MS);
    const response = await this.#fetch(url, init);
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      // MSAL inspects `status` for non-JSON error pages (a proxy's 407, a gateway's 502).
      body = { error: 'non_json_response', error_description: `HTTP ${response.status} with a non-JSON body` };
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => { headers[name] = value; });
    return { headers, body: body as T, status: response.status };
  }
}
