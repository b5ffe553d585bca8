import type { ResponsePromise } from 'ky';
import { configError } from './errors/config-error.js';
import { Executor, type RequestOptions } from './executor.js';
import { NaiveRequest } from './naive-request.js';
import { type ConnectionOptions, resolveOptions } from './options.js';
import { PageIterator, type PaginateOptions } from './paginate.js';
import type { AccessToken } from './session.js';
import { TargetResolver } from './target.js';
import { TokenRefresher } from './token-refresh.js';
import { VerbMethods } from './verbs.js';

const METHOD = /^[A-Za-z]+$/;

/**
 * A Microsoft Graph connection: verb methods that resolve paths against the base URL, send the
 * session's bearer token to allowed hosts only, and retry, pace and time out every request.
 */
export class Connection extends VerbMethods {
  /** The naive request handler: the same executor, never an Authorization header. */
  readonly naive: NaiveRequest;
  readonly #targets: TargetResolver;
  readonly #tokens: TokenRefresher;
  readonly #executor: Executor;
  readonly #baseUrl: string;
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(options: ConnectionOptions = {}) {
    super();
    const resolved = resolveOptions(options);
    this.#baseUrl = resolved.baseUrl.href.replace(/\/+$/, '');
    this.#targets = new TargetResolver(resolved.baseUrl, resolved.allowedHosts);
    this.#tokens = new TokenRefresher(resolved.session, resolved.scopes, resolved.refreshMargin, resolved.logger);
    this.#executor = new Executor(resolved, this.#tokens, (url) => this.#targets.mayCarryBearer(url));
    this.naive = new NaiveRequest((method, url, opts, authenticate) => this.#send(method, url, opts, authenticate));
    this.#unsubscribe = resolved.session?.onInvalidate?.(() => this.#tokens.clear()) ?? (() => undefined);
  }

  /** The base URL paths resolve against, e.g. https://graph.microsoft.com/v1.0. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  request(method: string, url: string | URL, options?: RequestOptions): ResponsePromise {
    return this.#send(method, url, options, true);
  }

  /**
   * Items across `@odata.nextLink` pages: `for await (const user of con.paginate('users'))`.
   * `.pages()` iterates whole pages; after the last page `.deltaLink` holds `@odata.deltaLink`.
   */
  paginate<T = Record<string, unknown>>(url: string | URL, options?: PaginateOptions): PageIterator<T> {
    return new PageIterator<T>((next, opts) => this.get(next, opts), url, options);
  }

  /** The current access token via the refresh orchestrator; `forceRefresh` skips every cache. */
  getAccessToken(options: { forceRefresh?: boolean; signal?: AbortSignal } = {}): Promise<AccessToken> {
    return this.#tokens.get(options);
  }

  /** Stops new requests and rejects those still waiting to start; requests in flight finish. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe();
    this.#executor.close();
  }

  #send(method: string, url: string | URL, options: RequestOptions = {}, authenticate: boolean): ResponsePromise {
    if (this.#closed) throw configError('this Connection is closed: create a new one');
    if (typeof method !== 'string' || !METHOD.test(method)) throw configError(`invalid HTTP method ${JSON.stringify(method)}`);
    if (typeof options !== 'object' || options === null) throw configError('request options must be an object');
    return this.#executor.send(method.toUpperCase(), this.#targets.resolve(url), options, authenticate);
  }
}
