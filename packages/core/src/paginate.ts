// Items across `@odata.nextLink`: the connection's own GET follows each link, so a link to a host
// that is not allowed gets no token, and every page is retried, paced and throttled like any request.
import type { ResponsePromise } from 'ky';
import type { RequestOptions } from './executor.js';
import { type OptionRule, rules, validateOptions } from './option-rules.js';
import { RETRY_RULE } from './retry-policy.js';

/** One page of a Graph collection. */
export interface GraphPage<T> {
  /** The page's items (possibly none, while a nextLink follows). */
  value: T[];
  /** The URL of the next page; absent on the last page. */
  '@odata.nextLink'?: string;
  /** On the last page of a delta query: the URL that returns the changes since this round. */
  '@odata.deltaLink'?: string;
  /** Other OData annotations (`@odata.context`, `@odata.count`, …), as Graph sent them. */
  [annotation: string]: unknown;
}

/**
 * Options of `con.paginate(url, options)`. `searchParams` go on the first request only (a nextLink
 * carries its own query); `headers`, `timeout` and `retry` apply to every page's GET.
 */
export interface PaginateOptions extends Pick<RequestOptions, 'searchParams' | 'headers' | 'timeout' | 'retry'> {
  /** Aborts the page in flight; iteration then rejects with the signal's reason. */
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

  /**
   * Made by `con.paginate(url, options)`, which passes its own GET as `get`. Nothing is requested
   * before iteration starts.
   *
   * @throws TypeError for an unknown or invalid option.
   */
  constructor(get: (url: string | URL, options: RequestOptions) => ResponsePromise, url: string | URL, options: PaginateOptions = {}) {
    validateOptions('@graphwire/core', 'paginate', options, RULES);
    this.#get = get;
    this.#url = url;
    this.#options = options;
  }

  /** The `@odata.deltaLink` of the last page, once iteration has reached it (delta queries). */
  get deltaLink(): string | undefined {
    return this.#deltaLink;
  }

  /**
   * Iterates whole pages instead of items, following `@odata.nextLink` (also from empty pages) up to
   * `maxPages`. Each page is a GET through the connection: retried, paced and throttled like any request.
   *
   * @throws TypeError (as a rejection) when a response is not a collection (no `value` array); a
   *   failed GET rejects as the connection's requests do.
   */
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

  /** Iterates the items of every page in order: `for await (const user of con.paginate('users'))`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.value;
  }
}
