import type { ResponsePromise } from 'ky';
import type { RequestOptions } from './executor.js';

/** The HTTP verb methods, written once for the Connection and its naive handler. */
export abstract class VerbMethods {
  abstract request(method: string, url: string | URL, options?: RequestOptions): ResponsePromise;

  get(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('GET', url, options);
  }

  post(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('POST', url, options);
  }

  put(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('PUT', url, options);
  }

  patch(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('PATCH', url, options);
  }

  delete(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('DELETE', url, options);
  }

  head(url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.request('HEAD', url, options);
  }
}
