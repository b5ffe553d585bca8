// The internal request executor: one ky instance per connection. ky builds requests, runs hooks,
// waits between retries (abortable) and shapes the ResponsePromise; graphwire's transport — the
// `fetch` ky calls for every attempt — admits the attempt (spacing, concurrency, 429 pause), adds the
// bearer token, applies the per-attempt timeout and decides which statuses are retried.
import ky, {
  ForceRetryError, TimeoutError, isHTTPError, isNetworkError, isTimeoutError,
  type BeforeErrorState, type KyInstance, type Options as KyOptions, type ResponsePromise,
} from 'ky';
import { configError } from './errors/config-error.js';
import { GraphError } from './errors/graph-error.js';
import { type HeaderInput, mergeHeaders } from './headers.js';
import { OAuthRequest } from './oauth-request.js';
import type { ResolvedOptions } from './options.js';
import { redactUrl } from './redact.js';
import { type RetryOptions, type RetryPolicy, isIdempotent, isRetryableNetworkError, isRetryableStatus, resolveRetry, socketErrorCode } from './retry-policy.js';
import { backoffDelay, parseRetryAfter, retryDelay } from './retry-timing.js';
import { Scheduler } from './scheduler.js';
import type { Target } from './target.js';
import type { TokenRefresher } from './token-refresh.js';
import { VERSION } from './version.js';

export interface RequestOptions
  extends Omit<KyOptions, 'retry' | 'timeout' | 'throwHttpErrors' | 'fetch' | 'baseUrl' | 'prefix' | 'method' | 'headers' | 'body'> {
  headers?: HeaderInput;
  /** A fetch body, or a plain object / array sent as JSON. */
  body?: BodyInit | Record<string, unknown> | unknown[] | null;
  /** Overrides the connection's retry policy for this request. */
  retry?: number | RetryOptions;
  /** Overrides the connection's per-attempt timeout for this request. */
  timeout?: number | false;
  /** Overrides the connection's raiseHttpErrors for this request. */
  raiseHttpErrors?: boolean;
}

/** Per logical request, shared by its attempts. ky forwards unknown options to fetch, so it rides along. */
interface CallState {
  attempt: number;
  host: string;
  bearer: boolean;
  policy: RetryPolicy;
  timeout: number | false;
}
const CALL = 'graphwireCall';
const SDK_VERSION = `graphwire/${VERSION}`;
const ALL_METHODS = ['get', 'post', 'put', 'patch', 'head', 'delete', 'options', 'trace', 'query'];
const TIMED_OUT = Symbol('timed out');
const noop = () => undefined;

export class Executor {
  readonly #ky: KyInstance;
  readonly #options: ResolvedOptions;
  readonly #scheduler: Scheduler;
  readonly #oauth: OAuthRequest;
  readonly #debug: boolean;

  constructor(options: ResolvedOptions, tokens: TokenRefresher) {
    this.#options = options;
    this.#scheduler = new Scheduler(options);
    this.#oauth = new OAuthRequest(tokens);
    this.#debug = options.debugEnabled; // skip building log lines nobody reads
    const policy = options.retry;
    const { beforeError = [], ...userHooks } = options.hooks;
    this.#ky = ky.create({
      timeout: false, // per attempt, in the transport: time spent waiting for admission must not count
      throwHttpErrors: options.raiseHttpErrors,
      fetch: this.#transport,
      retry: {
        limit: policy.limit,
        methods: ALL_METHODS,
        statusCodes: [], // status retries are decided in the transport, which sees every attempt
        afterStatusCodes: [],
        retryOnTimeout: policy.retryOnTimeout,
        delay: (retry) => backoffDelay(retry, policy),
        shouldRetry: ({ error }) => this.#shouldRetry(error),
      },
      hooks: { ...userHooks, beforeError: [toGraphError, ...beforeError] },
    });
  }

  send(method: string, target: Target, options: RequestOptions, authenticate: boolean): ResponsePromise {
    const { headers, retry, timeout, raiseHttpErrors, body, ...rest } = options;
    if (timeout !== undefined && timeout !== false && !(typeof timeout === 'number' && timeout > 0 && timeout <= 2_147_483_647)) {
      throw configError('timeout must be a positive number of milliseconds, or false');
    }
    if (authenticate && target.graphHost && !target.bearer) {
      throw configError(`refusing to send the bearer token to ${target.host} over plain http: use https (http only for loopback hosts)`);
    }
    const merged = mergeHeaders(this.#options.defaultHeaders, headers);
    merged['client-request-id'] ??= crypto.randomUUID();
    if (target.graphHost) merged.sdkversion = SDK_VERSION;
    const policy = retry === undefined ? this.#options.retry : resolveRetry(retry, this.#options.retry, 'retry');
    const call: CallState = {
      attempt: 0,
      host: target.host,
      bearer: authenticate && target.bearer,
      policy,
      timeout: timeout ?? this.#options.timeout,
    };
    const kyOptions: KyOptions & { [CALL]: CallState } = { ...rest, method, headers: merged, [CALL]: call };
    if (isJsonBody(body)) kyOptions.json = body;
    else if (body !== undefined) kyOptions.body = body;
    if (retry !== undefined) kyOptions.retry = { limit: policy.limit, retryOnTimeout: policy.retryOnTimeout };
    if (raiseHttpErrors !== undefined) kyOptions.throwHttpErrors = raiseHttpErrors;
    return this.#ky(target.url, kyOptions);
  }

  close(): void {
    this.#scheduler.close(configError('the Connection was closed while this request waited to start'));
  }

  readonly #transport = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input as Request; // ky always passes its Request
    const call = (init as Record<string, unknown> | undefined)?.[CALL] as CallState | undefined;
    if (!call) throw configError('internal: request reached the transport without its call state');
    const attempt = ++call.attempt;
    const began = Date.now();
    const admitted = this.#scheduler.admit(call.host, request.signal);
    if (admitted) await admitted;
    const waited = Date.now() - began;
    let response: Response;
    try {
      response = call.bearer
        ? await this.#oauth.send(request, (req, authorization) => this.#sendOnce(req, authorization, call.timeout))
        : await this.#sendOnce(request, undefined, call.timeout);
    } catch (error) {
      if (this.#debug) this.#log(request, `${errorLabel(error)} (attempt ${attempt}, waited ${waited} ms)`);
      throw error;
    } finally {
      this.#scheduler.release(call.host);
    }
    const { status } = response;
    if (status !== 429) this.#scheduler.answered(call.host);
    if (status < 400) {
      if (this.#debug) this.#log(request, `${status} (attempt ${attempt}, waited ${waited} ms)`);
      return response;
    }
    const { policy } = call;
    const retryAfterHeader = response.headers.get('retry-after');
    const retryAfter = policy.afterStatusCodes.has(status) ? parseRetryAfter(retryAfterHeader) : undefined;
    // A throttled host is paused for everyone on this connection, not just for this request.
    if (status === 429) this.#scheduler.throttled(call.host, Math.min(policy.maxRetryAfter, retryAfter ?? backoffDelay(attempt, policy)));
    if (attempt > policy.limit || !isRetryableStatus(request.method, status, retryAfterHeader !== null, policy)) {
      if (this.#debug) this.#log(request, `${status} (attempt ${attempt}, waited ${waited} ms)`);
      return response;
    }
    const delay = retryDelay(attempt, retryAfter, policy);
    if (this.#debug) this.#log(request, `${status} (attempt ${attempt}, waited ${waited} ms); retrying in ${delay} ms`);
    void response.body?.cancel().catch(noop);
    throw new ForceRetryError({ delay, code: `HTTP_${status}` });
  };

  /** One HTTP exchange with a per-attempt timeout that covers the wait for response headers. */
  async #sendOnce(request: Request, authorization: string | undefined, timeout: number | false): Promise<Response> {
    let headers: Headers = request.headers;
    if (authorization) {
      headers = new Headers(headers);
      headers.set('authorization', authorization);
    }
    const outer = request.signal;
    outer.throwIfAborted();
    if (timeout === false) return this.#fetchParts(request, headers, outer);
    const controller = new AbortController();
    const onAbort = () => controller.abort(outer.reason);
    outer.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(TIMED_OUT), timeout);
    try {
      return await this.#fetchParts(request, headers, controller.signal);
    } catch (error) {
      if (controller.signal.reason === TIMED_OUT) throw new TimeoutError(request);
      throw error;
    } finally {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    }
  }

  /** Body-less requests are re-issued from their parts: cheaper than fetch(Request) and just as faithful. */
  #fetchParts(request: Request, headers: Headers, signal: AbortSignal): Promise<Response> {
    if (request.body) return this.#options.fetch(request, { headers, signal });
    return this.#options.fetch(request.url, {
      method: request.method, headers, signal, redirect: request.redirect, credentials: request.credentials,
      cache: request.cache, mode: request.mode, referrerPolicy: request.referrerPolicy, keepalive: request.keepalive,
    });
  }

  #shouldRetry(error: Error): boolean | undefined {
    if (isNetworkError(error)) return isRetryableNetworkError(error.request.method, error);
    if (isTimeoutError(error)) return isIdempotent(error.request.method) ? undefined : false;
    return false; // HTTP statuses were decided in the transport; anything else is not transient
  }

  #log(request: Request, outcome: string): void {
    this.#options.logger.debug(`[@graphwire/core] ${request.method} ${redactUrl(request.url)} → ${outcome}`);
  }
}

function toGraphError({ request, error }: BeforeErrorState): Error {
  if (!isHTTPError(error)) return error;
  return new GraphError({ method: request.method, url: request.url, response: error.response, body: error.data });
}

function isJsonBody(body: unknown): body is Record<string, unknown> | unknown[] {
  if (Array.isArray(body)) return true;
  if (typeof body !== 'object' || body === null) return false;
  const proto = Object.getPrototypeOf(body);
  return proto === Object.prototype || proto === null;
}

function errorLabel(error: unknown): string {
  if (!(error instanceof Error)) return 'failed';
  const code = socketErrorCode(error);
  return code ? `${error.name} ${code}` : error.name;
}
