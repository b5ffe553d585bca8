// The transport: the `fetch` ky calls for each request. It runs every attempt: admits it
// (concurrency, 429 pause, pacing), adds the bearer token where allowed, bounds it with the timeout,
// decides what is retried and waits between attempts: it is the one place that sees every attempt.
import { type BeforeRetryHook, type BeforeRetryState, TimeoutError } from 'ky';
import { sleep } from './abortable-sleep.js';
import { isCallerAbort } from './caller-abort.js';
import { configError } from './errors/config-error.js';
import type { OAuthRequest } from './oauth-request.js';
import type { ResolvedOptions } from './options.js';
import { redactUrl } from './redact.js';
import { type RetryPolicy, errorRetryDelay, isRetryableStatus, socketErrorCode } from './retry-policy.js';
import { hookError, runBeforeRetry } from './retry-hooks.js';
import { backoffDelay, parseRetryAfter, retryDelay } from './retry-timing.js';
import type { Scheduler } from './scheduler.js';
import { type RequestTrace, type Telemetry, safely } from './telemetry.js';
import { CALL, type RequestIdentity, sendOnWire, wireHeaders } from './wire-request.js';

/** Per logical request, shared by its attempts. ky forwards unknown options to fetch, so it rides along. */
export interface CallState extends RequestIdentity {
  attempt: number;
  /** The origin `bearer` and `sdkVersion` were decided for: a hook that points the request elsewhere loses both. */
  origin: string;
  host: string;
  bearer: boolean;
  sdkVersion: boolean; // its own host is a Graph host: SdkVersion goes with it while it goes there
  policy: RetryPolicy;
  timeout: number | false;
  /** Only while a telemetry observer listens to this request. */
  trace: RequestTrace | undefined;
  /** The caller's ky beforeRetry hooks (the connection's, then the request's), only when there are some. */
  beforeRetry: readonly BeforeRetryHook[] | undefined;
  /** ky's normalized options, captured for those hooks by a beforeRequest hook. */
  kyOptions?: BeforeRetryState['options'];
  /** The attempt whose exchange last went through dispatch (so reached, or was about to reach, fetch). */
  dispatched?: number;
  /** The Request a beforeRetry hook had sent instead of ky's: errors name what was sent. */
  sent?: Request;
}

/** An attempt to be repeated after `delay` ms; `cause` is what beforeRetry hooks are shown. */
interface Retry {
  delay: number;
  cause: Error | { status: number };
  /** The retried response, kept readable only while hooks may stop the retries and want it. */
  response?: Response;
}

type Extras = Record<string, unknown> | undefined; // what ky passes fetch besides the Request: the call state, dispatcher…
const TIMED_OUT = Symbol('timed out');
const NO_OPTIONS = Object.freeze({}) as BeforeRetryState['options'];
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

  /**
   * The `fetch` ky calls once per logical request (ky's own retries are off: they would clone
   * every Request in advance). Every attempt happens here, so every attempt is admitted, carries
   * the token of its own moment, and has its status decided by the retry policy.
   */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let request = input as Request; // ky always passes its Request
    // ky's init holds the options a Request cannot (`dispatcher`, `priority`, the call state): passed on.
    const extras = init as Extras;
    const call = extras?.[CALL] as CallState | undefined;
    if (!call) throw configError('internal: request reached the transport without its call state');
    // Waits listen to ky's signal (the caller's abort, ky's totalTimeout) even after a hook replaced the Request.
    const { signal } = request;
    for (;;) {
      // A body can be sent once: keep an unsent copy while another attempt may follow.
      const spare = request.body && call.attempt < call.policy.limit ? request.clone() : undefined;
      const outcome = await this.#attempt(request, signal, call, extras);
      if (outcome instanceof Response) return outcome;
      await sleep(outcome.delay, signal);
      request = spare ?? request;
      const hooks = call.beforeRetry;
      if (!hooks) continue;
      const decision = await runBeforeRetry(hooks, request, call.kyOptions ?? NO_OPTIONS, hookError(request, outcome.cause, outcome.delay), call.attempt);
      if (decision.response) {
        discard(outcome);
        return decision.response;
      }
      // ky.stop: the outcome at hand is final (ky would resolve with undefined, which a fetch cannot).
      if (decision.stop) {
        if (outcome.cause instanceof Error) throw outcome.cause;
        if (outcome.response) return outcome.response;
      }
      discard(outcome);
      if (decision.request) request = call.sent = decision.request;
    }
  };

  /** One attempt: the final Response, or how long to wait before the next one. */
  async #attempt(request: Request, signal: AbortSignal, call: CallState, extras: Extras): Promise<Response | Retry> {
    const attempt = ++call.attempt;
    const { trace, policy } = call;
    if (trace && attempt > 1) safely(() => trace.observer.retry?.({ attempt, reason: trace.retryReason ?? 'unknown' }));
    // Same origin, same decisions (query strings added by ky do not matter); anything else is re-checked.
    const home = request.url.startsWith(`${call.origin}/`) || this.#mayCarryBearer(request.url);
    const bearer = call.bearer && home;
    const graph = call.sdkVersion && home; // SdkVersion is for Graph hosts only, like the token
    const admitted = this.#scheduler.admit(call.host, signal);
    let waited = 0; // admitted at once: no clock read on the hot path
    if (admitted) {
      const began = Date.now();
      await admitted;
      waited = Date.now() - began;
      if (trace) trace.pauseMs += waited;
    }
    let response: Response;
    try {
      response = bearer
        ? await this.#oauth.send(request, (req, authorization) => this.#sendOnce(req, authorization, graph, call, extras))
        : await this.#sendOnce(request, undefined, graph, call, extras);
    } catch (error) {
      const delay = attempt > policy.limit ? undefined : errorRetryDelay(request, error, attempt, policy);
      if (this.#debug) this.#log(request, `${errorLabel(request, error)} (attempt ${attempt}, waited ${waited} ms)${delay === undefined ? '' : `; retrying in ${delay} ms`}`);
      if (trace) trace.retryReason = error instanceof TimeoutError ? 'timeout' : 'network_error';
      if (delay === undefined) throw error;
      return { delay, cause: error as Error };
    } finally {
      this.#scheduler.release(call.host, call.dispatched === attempt);
    }
    const { status } = response;
    if (status !== 429) this.#scheduler.answered(call.host);
    if (status < 400) {
      if (this.#debug) this.#log(request, `${status} (attempt ${attempt}, waited ${waited} ms)`);
      return response;
    }
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
    const cause = { status };
    // Kept unread while hooks may stop the retries and want it; otherwise the connection is freed at once.
    if (call.beforeRetry) return { delay, cause, response };
    void response.body?.cancel().catch(noop);
    return { delay, cause };
  }

  /**
   * One HTTP exchange. The timeout covers the wait for response headers, not the time spent queuing
   * or waiting for a token (a device-code sign-in may take minutes; sessions bound their own calls).
   */
  async #sendOnce(request: Request, authorization: string | undefined, graph: boolean, call: CallState, extras: Extras): Promise<Response> {
    const outer = request.signal;
    outer.throwIfAborted();
    // Start-time pacing (requestsDelay) is applied here, at the wire: after any wait for a token.
    // A 401 replay is the attempt's second exchange, spaced and held again; dispatch() ends the
    // rejected one, so a replay that never starts leaves release() nothing to end.
    const replay = call.dispatched === call.attempt;
    if (replay) call.dispatched = undefined;
    const dispatched = this.#scheduler.dispatch(call.host, outer, replay);
    if (dispatched) {
      const began = Date.now();
      await dispatched;
      if (call.trace) call.trace.pauseMs += Date.now() - began;
    }
    call.dispatched = call.attempt;
    const headers = wireHeaders(request.headers, call, graph, authorization);
    if (call.timeout === false) return sendOnWire(this.#options.fetch, request, headers, outer, extras);
    const controller = new AbortController();
    // Left attached on purpose: an abort while the body downloads must still reach fetch.
    outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
    const timer = setTimeout(() => controller.abort(TIMED_OUT), call.timeout);
    try {
      return await sendOnWire(this.#options.fetch, request, headers, controller.signal, extras);
    } catch (error) {
      if (controller.signal.reason === TIMED_OUT) throw new TimeoutError(request);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  #log(request: Request, outcome: string): void {
    this.#options.logger.debug(`[@graphwire/core] ${request.method} ${redactUrl(request.url)} → ${outcome}`);
  }
}

/** Frees the connection of a retried response nobody will read. */
const discard = (outcome: Retry): void => void outcome.response?.body?.cancel().catch(noop);

function errorLabel(request: Request, error: unknown): string {
  // A caller's AbortSignal.timeout() is named TimeoutError too: say whose deadline it was.
  if (isCallerAbort(request.signal, error)) return 'aborted by the caller';
  if (!(error instanceof Error)) return 'failed';
  const code = socketErrorCode(error);
  return code ? `${error.name} ${code}` : error.name;
}
