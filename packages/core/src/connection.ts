import type { ResponsePromise } from 'ky';
import type { BatchOptions } from './batch-options.js';
import type { BatchResponse } from './batch-codec.js';
import type { BatchRequest } from './batch-plan.js';
import { configError } from './errors/config-error.js';
import { Executor, type RequestOptions } from './executor.js';
import { createFetch } from './fetch-adapter.js';
import { NaiveRequest } from './naive-request.js';
import { type ConnectionOptions, resolveOptions } from './options.js';
import { PageIterator, type PaginateOptions } from './paginate.js';
import { redactUrl } from './redact.js';
import type { RetryPolicy } from './retry-policy.js';
import type { AccessToken } from './session.js';
import { TargetResolver } from './target.js';
import { TokenRefresher } from './token-refresh.js';
import type { UploadOptions, UploadTarget } from './upload.js';
import type { UploadData } from './upload-source.js';
import { VerbMethods } from './verbs.js';

// RFC 9110's token: standard methods and extensions such as M-SEARCH or VERSION-CONTROL.
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A Microsoft Graph connection: verb methods that resolve paths against the base URL, send the
 * session's bearer token to allowed hosts only, and retry, pace and time out every request.
 */
export class Connection extends VerbMethods {
  /** The naive request handler: the same executor, never an Authorization header. */
  readonly naive: NaiveRequest;
  /**
   * A standard `fetch(input, init)` through the whole pipeline (token to allowed hosts only,
   * retries, 429 pause, pacing, refresh on 401), for libraries built on fetch: `new HttpClient(con.fetch)`.
   * It resolves with the final Response whatever its status and rejects only where fetch would.
   * Relative URLs resolve against the base URL. It needs no `this`.
   */
  readonly fetch: typeof fetch = createFetch((method, url, options) => this.#send(method, url, options, true));
  readonly #targets: TargetResolver;
  readonly #tokens: TokenRefresher;
  readonly #executor: Executor;
  readonly #baseUrl: string;
  readonly #retry: RetryPolicy;
  readonly #timeout: number | false;
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(options: ConnectionOptions = {}) {
    super();
    const resolved = resolveOptions(options);
    this.#baseUrl = resolved.baseUrl.href.replace(/\/+$/, '');
    this.#retry = resolved.retry;
    this.#timeout = resolved.timeout;
    this.#targets = new TargetResolver(resolved.baseUrl, resolved.allowedHosts);
    this.#tokens = new TokenRefresher(resolved.session, resolved.scopes, resolved.refreshMargin, resolved.logger, resolved.telemetry);
    this.#executor = new Executor(resolved, this.#tokens, (url) => this.#targets.mayCarryBearer(url));
    this.naive = new NaiveRequest((method, url, opts, authenticate) => this.#send(method, url, opts, authenticate));
    this.#unsubscribe = resolved.session?.onInvalidate?.(() => this.#tokens.clear()) ?? (() => undefined);
  }

  /** The base URL paths resolve against, e.g. https://graph.microsoft.com/v1.0. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /**
   * Sends a request with any HTTP method: `con.request('GET', 'users', { searchParams, signal })`.
   * The session's bearer token goes to allowed hosts only; the request is retried, paced and timed
   * out as the connection's options say. The verb methods (`get`, `post`, …) call this.
   *
   * @param method - An HTTP method name (an RFC 9110 token: `GET`, `M-SEARCH`); sent upper-cased.
   * @param url - A path resolved against the base URL (`'me/messages'`), or an absolute URL such as an `@odata.nextLink`.
   * @param options - ky's options plus per-request `retry`, `timeout` and `raiseHttpErrors`.
   * @returns ky's ResponsePromise. It rejects with a GraphError for a non-2xx status after retries
   *   (unless `raiseHttpErrors` is false), with ky's NetworkError or TimeoutError, with a GraphAuthError
   *   when no token can be acquired, or with the signal's reason when aborted.
   * @throws TypeError, at once (not as a rejection), for an invalid method, URL or option, an Authorization
   *   header, plain http to an allowed host that is not loopback, or a closed connection.
   */
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

  /**
   * Any number of requests over JSON batching (`$batch` calls of at most 20), results in input order.
   * Throttled items are sent again after their Retry-After; a failed item has `error`, and never
   * rejects the whole batch.
   */
  async batch<T = unknown>(requests: readonly BatchRequest[], options?: BatchOptions): Promise<BatchResponse<T>[]> {
    const host = this.#targets.resolve('$batch').host;
    // Loaded on first use: a bundler that splits code keeps it out of an app's first download.
    const { runBatch } = await import('./batch.js');
    return runBatch<T>({
      post: (body, signal) => this.post('$batch', { body, signal, raiseHttpErrors: true }).json(),
      toRelative: (url) => this.#relative(url),
      throttled: (ms: number, count?: number) => this.#executor.throttled(host, ms, count),
      answered: (count: number) => this.#executor.answered(host, count),
      policy: this.#retry,
    }, requests, options);
  }

  /**
   * Uploads a file to a drive path ending in ':' (`'me/drive/root:/reports/q3.pdf:'`) or to an
   * existing `{ uploadUrl }`, in slices that resume where the server stands after a failure.
   * Resolves to the created or replaced driveItem.
   */
  async upload<T = Record<string, unknown>>(target: UploadTarget, data: UploadData, options?: UploadOptions): Promise<T> {
    const { runUpload } = await import('./upload.js'); // on first use, as batch
    return runUpload({ graph: this, naive: this.naive, policy: this.#retry, timeout: this.#timeout }, target, data, options) as Promise<T>;
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

  /** `/users/1?…` for a URL under the base URL, as `$batch` wants it. */
  #relative(url: string | URL): { url: string; absolute: string } {
    const { url: absolute } = this.#targets.resolve(url);
    const base = `${this.#baseUrl}/`;
    if (!absolute.startsWith(base)) {
      throw configError(`batch: ${redactUrl(absolute)} is not under the connection's base URL ${this.#baseUrl}; $batch runs requests on its own host and API version only`);
    }
    return { url: `/${absolute.slice(base.length)}`, absolute };
  }

  #send(method: string, url: string | URL, options: RequestOptions = {}, authenticate: boolean): ResponsePromise {
    if (this.#closed) throw configError('this Connection is closed: create a new one');
    if (typeof method !== 'string' || !METHOD.test(method)) throw configError(`invalid HTTP method ${JSON.stringify(method)}`);
    if (typeof options !== 'object' || options === null) throw configError('request options must be an object');
    return this.#executor.send(method.toUpperCase(), this.#targets.resolve(url), options, authenticate);
  }
}
