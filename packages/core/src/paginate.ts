// Items across `@odata.nextLink`: the connection's own GET follows each link, so a link to a host
// that is not allowed gets no token, and every page is retried, paced and throttled like any request.
import type { ResponsePromise } from 'ky';
import type { RequestOptions } from './executor.js';
import { type OptionRule, rules, validateOptions } from './option-rules.js';
import { RETRY_RULE } from './retry-policy.js';

/** One page of a Graph collection. */
export interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
  [annotation: string]: unknown;
}

export interface PaginateOptions extends Pick<RequestOptions, 'searchParams' | 'headers' | 'timeout' | 'retry'> {
  signal?: AbortSignal;
  /** Stop after this many pages. Default: all. */
  maxPages?: number;
}

const RULES: Record<keyof PaginateOptions, OptionRule> = {
  searchParams: { expected: 'a query string, URLSearchParams or an object of names to values', test: (v) => typeof v === 'string' || typeof v === 'object' },
  headers: { expected: 'an object of header names to values, or Headers', test: (v) => typeof v === 'object' && v !== null },
  timeout: { expected: 'a positive number of milliseconds, or false', test: (v) => v === false || rules.positiveMilliseconds.test(v) },
  retry: RETRY_RULE,
  signal: rules.signal,
  maxPages: rules.positiveInteger,
};

type Get = (url: string | URL, options: RequestOptions) => ResponsePromise;

/** `for await (const item of con.paginate('users'))`; `.pages()` for whole pages; `.deltaLink` after the last. */
export class PageIterator<T> implements AsyncIterable<T> {
  readonly #get: Get;
  readonly #url: string | URL;
  readonly #options: PaginateOptions;
  #deltaLink: string | undefined;

  constructor(get: Get, url: string | URL, options: PaginateOptions = {}) {
    validateOptions('@graphwire/core', 'paginate', options, RULES);
    this.#get = get;
    this.#url = url;
    this.#options = options;
  }

  /** The `@odata.deltaLink` of the last page, once iteration has reached it (delta queries). */
  get deltaLink(): string | undefined {
    return this.#deltaLink;
  }

  async *pages(): AsyncGenerator<GraphPage<T>, void, undefined> {
    const { maxPages = Number.POSITIVE_INFINITY, searchParams, ...common } = this.#options;
    let next: string | URL | undefined = this.#url;
    // The first request carries the caller's query; a nextLink already holds everything it needs.
    let options: RequestOptions = searchParams === undefined ? common : { ...common, searchParams };
    for (let count = 0; next !== undefined && count < maxPages; count++) {
      const url: string | URL = next;
      const page: GraphPage<T> = await this.#get(url, options).json<GraphPage<T>>();
      if (!page || !Array.isArray(page.value)) {
        throw new TypeError(`[@graphwire/core] paginate: ${String(url)} did not return a collection (no "value" array)`);
      }
      this.#deltaLink = page['@odata.deltaLink'] ?? this.#deltaLink;
      next = page['@odata.nextLink']; // followed even when this page is empty
      options = common;
      yield page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.value;
  }
}
