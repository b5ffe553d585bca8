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

  request(method: string, url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.#send(method, url, options, false);
  }
}
