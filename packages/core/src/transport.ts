// The transport: the `fetch` ky calls for every attempt. It admits the attempt (spacing,
// concurrency, 429 pause), adds the bearer token where allowed, bounds the attempt with the timeout,
// and decides which statuses are retried: it is the one place that sees every attempt.
import { ForceRetryError, TimeoutError } from 'ky';
import { isCallerAbort } from './caller-abort.js';
import { configError } from './errors/config-error.js';
import type { OAuthRequest } from './oauth-request.js';
import type { ResolvedOptions } from './options.js';
import { redactUrl } from './redact.js';
import { type RetryPolicy, isRetryableStatus, socketErrorCode } from './retry-policy.js';
import { backoffDelay, parseRetryAfter, retryDelay } from './retry-timing.js';
import type { Scheduler } from './scheduler.js';
import { type RequestTrace, type Telemetry, safely } from './telemetry.js';

/** Per logical request, shared by its attempts. ky forwards unknown options to fetch, so it rides along. */
export interface CallState {
  attempt: number;
  /** The origin `bearer` was decided for: a hook that points the request elsewhere loses the token. */
  origin: string;
  host: string;
  bearer: boolean;
  policy: RetryPolicy;
  timeout: number | false;
  /** Only while a telemetry observer listens to this request. */
  trace: RequestTrace | undefined;
}
export const CALL = 'graphwireCall';

const TIMED_OUT = Symbol('timed out');
const noop = () => undefined;

export class Transport {
  readonly #options: ResolvedOptions;
  readonly #scheduler: Scheduler;
  readonly #oauth: OAuthRequest;
  readonly #mayCarryBearer: (url: string) => boolean;
  readonly #debug: boolean;
  readonly #telemetry: Telemetry | undefined;

  constructor(options: ResolvedOptions, scheduler: Scheduler, oauth: OAuthRequest, mayCarryBearer: (url: string) => boolean) {
    this.#options = options;
    this.#scheduler = scheduler;
    this.#oauth = oauth;
    this.#mayCarryBearer = mayCarryBearer;
    this.#debug = options.debugEnabled; // skip building log lines nobody reads
    this.#telemetry = options.telemetry;
  }

  /** The `fetch` ky calls for each attempt. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input as Request; // ky always passes its Request
    // ky's init holds the options a Request cannot (`dispatcher`, `priority`, the call state): passed on.
    const extras = init as Record<string, unknown> | undefined;
    const call = extras?.[CALL] as CallState | undefined;
    if (!call) throw configError('internal: request reached the transport without its call state');
    const attempt = ++call.attempt;
    const { trace } = call;
    if (trace && attempt > 1) safely(() => trace.observer.retry?.({ attempt, reason: trace.retryReason ?? 'unknown' }));
    // Same origin, same decision (query strings added by ky do not matter); anything else is re-checked.
    const bearer = call.bearer && (request.url.startsWith(`${call.origin}/`) || this.#mayCarryBearer(request.url));
    const began = Date.now();
    const admitted = this.#scheduler.admit(call.host, request.signal);
    if (admitted) await admitted;
    const waited = Date.now() - began;
    if (trace) trace.pauseMs += waited;
    let response: Response;
    try {
      response = bearer
        ? await this.#oauth.send(request, (req, authorization) => this.#sendOnce(req, authorization, call, extras))
        : await this.#sendOnce(request, undefined, call, extras);
    } catch (error) {
      if (this.#debug) this.#log(request, `${errorLabel(request, error)} (attempt ${attempt}, waited ${waited} ms)`);
      if (trace) trace.retryReason = error instanceof TimeoutError ? 'timeout' : 'network_error';
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
    if (status === 429) {
      const pause = Math.min(policy.maxRetryAfter, retryAfter ?? backoffDelay(attempt, policy));
      this.#scheduler.throttled(call.host, pause);
      const telemetry = this.#telemetry;
      if (telemetry) safely(() => telemetry.throttled?.({ host: call.host, retryAfterMs: pause, source: 'response', count: 1 }));
    }
    if (attempt > policy.limit || !isRetryableStatus(request.method, status, retryAfterHeader !== null, policy)) {
      if (this.#debug) this.#log(request, `${status} (attempt ${attempt}, waited ${waited} ms)`);
      return response;
    }
    const delay = retryDelay(attempt, retryAfter, policy);
    if (trace) {
      trace.retryReason = `http_${status}`;
      if (retryAfter !== undefined) trace.retryAfterMs += delay;
    }
    if (this.#debug) this.#log(request, `${status} (attempt ${attempt}, waited ${waited} ms); retrying in ${delay} ms`);
    void response.body?.cancel().catch(noop);
    throw new ForceRetryError({ delay, code: `HTTP_${status}` });
  };

  /**
   * One HTTP exchange. The timeout covers the wait for response headers, not the time spent queuing
   * or waiting for a token (a device-code sign-in may take minutes; sessions bound their own calls).
   */
  async #sendOnce(request: Request, authorization: string | undefined, call: CallState, extras: Record<string, unknown> | undefined): Promise<Response> {
    const outer = request.signal;
    outer.throwIfAborted();
    // Start-time pacing (requestsDelay) is applied here, at the wire: after any wait for a token.
    const dispatched = this.#scheduler.dispatch(call.host, outer);
    if (dispatched) await dispatched;
    const { timeout } = call;
    if (timeout === false) return this.#fetchParts(request, authorization, outer, extras);
    const controller = new AbortController();
    // Left attached on purpose: an abort while the body downloads must still reach fetch.
    outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
    const timer = setTimeout(() => controller.abort(TIMED_OUT), timeout);
    try {
      return await this.#fetchParts(request, authorization, controller.signal, extras);
    } catch (error) {
      if (controller.signal.reason === TIMED_OUT) throw new TimeoutError(request);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Body-less requests are re-issued from their parts: cheaper than fetch(Request) and just as
   * faithful. What ky passed besides the Request (`dispatcher`, `priority`) goes with either form.
   */
  #fetchParts(request: Request, authorization: string | undefined, signal: AbortSignal, extras: Record<string, unknown> | undefined): Promise<Response> {
    let headers: Headers = request.headers;
    if (authorization) {
      headers = new Headers(headers);
      headers.set('authorization', authorization);
    }
    if (request.body) return this.#options.fetch(request, withExtras({ headers, signal }, extras));
    const init: RequestInit = {
      method: request.method, headers, signal, redirect: request.redirect, credentials: request.credentials,
      cache: request.cache, mode: request.mode, referrerPolicy: request.referrerPolicy, keepalive: request.keepalive,
    };
    if (request.integrity) init.integrity = request.integrity;
    // `about:client` is the default; `''` (no referrer) and a URL were asked for.
    if (request.referrer !== 'about:client') init.referrer = request.referrer;
    return this.#options.fetch(request.url, withExtras(init, extras));
  }

  #log(request: Request, outcome: string): void {
    this.#options.logger.debug(`[@graphwire/core] ${request.method} ${redactUrl(request.url)} → ${outcome}`);
  }
}

/** Adds ky's fetch-only options (not the call state) to `init`: a loop over its one or two keys, no allocation. */
function withExtras(init: RequestInit, extras: Record<string, unknown> | undefined): RequestInit {
  for (const key in extras) {
    if (key !== CALL && extras[key] !== undefined) (init as Record<string, unknown>)[key] = extras[key];
  }
  return init;
}

function errorLabel(request: Request, error: unknown): string {
  // A caller's AbortSignal.timeout() is named TimeoutError too: say whose deadline it was.
  if (isCallerAbort(request.signal, error)) return 'aborted by the caller';
  if (!(error instanceof Error)) return 'failed';
  const code = socketErrorCode(error);
  return code ? `${error.name} ${code}` : error.name;
}
