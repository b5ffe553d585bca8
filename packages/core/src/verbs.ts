import type { ResponsePromise } from 'ky';
import type { RequestOptions } from './executor.js';

/** The HTTP verb methods, written once for the Connection and its naive handler. */
export abstract class VerbMethods {
  /**
   * Sends one request with any HTTP method. `url` is a path resolved against the base URL
   * (`'me/messages'`) or an absolute URL.
   */
  abstract request(method: string, url: string | URL, options?: RequestOptions): ResponsePromise;

  /**
   * Sends a GET: `await con.get('me').json()`. Same as `request('GET', url, options)`.
   *
   * @param url - A path resolved against the base URL (`'me'`), or an absolute URL.
   * @param options - ky's options plus per-request `retry`, `timeout` and `raiseHttpErrors`.
   * @returns ky's ResponsePromise: await it for the Response, or call `.json()`, `.text()`, `.blob()`.
   */
  get(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('GET', url, options);
  }

  /**
   * Sends a POST: `con.post('me/sendMail', { json: message })`. A POST is retried only where the
   * server did not process it (429, 503 with Retry-After, connection refused).
   *
   * @param url - A path resolved against the base URL, or an absolute URL.
   * @param options - ky's options plus `retry`, `timeout`, `raiseHttpErrors`; a plain object or array as `body` is sent as JSON.
   * @returns ky's ResponsePromise.
   */
  post(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('POST', url, options);
  }

  /**
   * Sends a PUT. Same as `request('PUT', url, options)`.
   *
   * @param url - A path resolved against the base URL, or an absolute URL.
   * @param options - ky's options plus `retry`, `timeout`, `raiseHttpErrors`; a plain object or array as `body` is sent as JSON.
   * @returns ky's ResponsePromise.
   */
  put(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('PUT', url, options);
  }

  /**
   * Sends a PATCH: `con.patch('me/todo/lists/{id}', { json: { displayName: 'Shopping' } })`. Like a
   * POST, retried only where the server did not process it.
   *
   * @param url - A path resolved against the base URL, or an absolute URL.
   * @param options - ky's options plus `retry`, `timeout`, `raiseHttpErrors`; a plain object or array as `body` is sent as JSON.
   * @returns ky's ResponsePromise.
   */
  patch(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('PATCH', url, options);
  }

  /**
   * Sends a DELETE. Same as `request('DELETE', url, options)`.
   *
   * @param url - A path resolved against the base URL, or an absolute URL.
   * @param options - ky's options plus `retry`, `timeout`, `raiseHttpErrors`.
   * @returns ky's ResponsePromise.
   */
  delete(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('DELETE', url, options);
  }

  /**
   * Sends a HEAD. Same as `request('HEAD', url, options)`.
   *
   * @param url - A path resolved against the base URL, or an absolute URL.
   * @param options - ky's options plus `retry`, `timeout`, `raiseHttpErrors`.
   * @returns ky's ResponsePromise.
   */
  head(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('HEAD', url, options);
  }
}
