import type { ResponsePromise } from 'ky';
import type { RequestOptions } from './executor.js';
import { VerbMethods } from './verbs.js';

type Send = (method: string, url: string | URL, options: RequestOptions | undefined, authenticate: boolean) => ResponsePromise;

/**
 * The naive request handler (`con.naive`): the connection's executor — retries, spacing, timeouts,
 * errors — without any Authorization header, even to Graph hosts. For pre-signed download URLs,
 * third-party endpoints and public resources.
 */
export class NaiveRequest extends VerbMethods {
  readonly #send: Send;

  constructor(send: Send) {
    super();
    this.#send = send;
  }

  /**
   * Sends a request with any HTTP method and no Authorization header, through the connection's
   * executor (retries, pacing, timeouts, GraphError for non-2xx statuses).
   *
   * @param method - An HTTP method name (an RFC 9110 token: `GET`, `M-SEARCH`); sent upper-cased.
   * @param url - An absolute URL (a pre-signed download URL), or a path resolved against the base URL.
   * @param options - ky's options plus per-request `retry`, `timeout` and `raiseHttpErrors`.
   * @returns ky's ResponsePromise; it rejects as `Connection.request` does, never with a GraphAuthError.
   * @throws TypeError, at once (not as a rejection), for an invalid method, URL or option, an
   *   Authorization header, or a closed connection.
   */
  request(method: string, url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.#send(method, url, options, false);
  }
}
