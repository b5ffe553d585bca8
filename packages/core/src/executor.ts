// The internal request executor: one ky instance per connection. ky builds the request, runs the
// hooks and shapes the ResponsePromise; graphwire's Transport (the `fetch` ky calls) runs every
// attempt: admission, token, timeout, retries and the waits between them.
import ky, {
  type BeforeRequestState, type BeforeRetryHook, type KyInstance, type Options as KyOptions, type ResponsePromise,
} from 'ky';
import { configError } from './errors/config-error.js';
import { unknownOptionError, validateOptions } from './option-rules.js';
import { type HeaderInput, mergeHeaders } from './headers.js';
import { OAuthRequest } from './oauth-request.js';
import { HOOKS_RULE, type ResolvedOptions, TIMEOUT_RULE } from './options.js';
import { type RetryOptions, type RetryPolicy, resolveRetry } from './retry-policy.js';
import { backoffDelay } from './retry-timing.js';
import { Scheduler } from './scheduler.js';
import type { Target } from './target.js';
import { listenForPauses, publishPause } from './throttle-channel.js';
import { type Telemetry, safely, startTrace, traced } from './telemetry.js';
import type { TokenRefresher } from './token-refresh.js';
import { type CallState, Transport } from './transport.js';
import { CALL } from './wire-request.js';
import { type Call, toPublicError } from './public-error.js';

/**
 * Options of one request (`con.get(url, options)` and the other verbs): ky's options (`searchParams`,
 * `json`, `signal`, `hooks`, …) plus graphwire's per-request overrides. An unknown key is a TypeError.
 */
export interface RequestOptions
  extends Omit<KyOptions, 'retry' | 'timeout' | 'throwHttpErrors' | 'fetch' | 'baseUrl' | 'prefix' | 'method' | 'headers' | 'body'> {
  /** Merged over the connection's `defaultHeaders` (a `Prefer` joins the default's); `undefined` removes a default. No Authorization. */
  headers?: HeaderInput;
  /** A fetch body, or a plain object / array sent as JSON. */
  body?: BodyInit | Record<string, unknown> | unknown[] | null;
  /** Overrides the connection's retry policy for this request. */
  retry?: number | RetryOptions;
  /** Overrides the connection's per-attempt timeout for this request: ms until response headers, or false for none. */
  timeout?: number | false;
  /** Overrides the connection's raiseHttpErrors for this request. */
  raiseHttpErrors?: boolean;
}

// Every key RequestOptions has: graphwire's own, ky's Options that it inherits (ky 2's
// distribution/types/options.d.ts), and RequestInit's (the DOM's, and Node's dispatcher/duplex).
// Checked on every request: a typo such as `signl` would otherwise drop the caller's deadline.
const REQUEST_KEYS: ReadonlySet<string> = new Set([
  'headers', 'body', 'retry', 'timeout', 'raiseHttpErrors',
  'json', 'parseJson', 'stringifyJson', 'searchParams', 'totalTimeout', 'hooks', 'onDownloadProgress', 'onUploadProgress', 'context',
  'cache', 'credentials', 'integrity', 'keepalive', 'mode', 'priority', 'redirect', 'referrer', 'referrerPolicy', 'signal', 'window',
  'dispatcher', 'duplex',
]);


export class Executor {
  readonly #ky: KyInstance;
  readonly #options: ResolvedOptions;
  readonly #scheduler: Scheduler;
  readonly #telemetry: Telemetry | undefined;
  readonly #beforeRetry: readonly BeforeRetryHook[] | undefined;
  /** afterResponse hooks may ask ky for a retry (`ky.retry()`): only then does ky retry at all. */
  readonly #forcedRetries: boolean;
  /** The connection's default headers, or undefined when it has none: most requests then give ky no headers at all. */
  readonly #defaultHeaders: Record<string, string> | undefined;
  #unlisten: (() => void) | undefined;

  constructor(options: ResolvedOptions, tokens: TokenRefresher, mayCarryBearer: (url: string) => boolean) {
    this.#options = options;
    // Pauses are pushed both ways: published when a 429 starts or extends one, applied when heard.
    const channel = options.throttleChannel;
    this.#scheduler = new Scheduler({ ...options, onPause: channel && ((host, until) => publishPause(channel, { host, until })) });
    this.#unlisten = channel && listenForPauses(channel, options.retry.maxRetryAfter, (host, until) => this.#scheduler.heard(host, until));
    this.#telemetry = options.telemetry;
    this.#defaultHeaders = Object.keys(options.defaultHeaders).length > 0 ? options.defaultHeaders : undefined;
    const transport = new Transport(options, this.#scheduler, new OAuthRequest(tokens), mayCarryBearer);
    const policy = options.retry;
    // Retries happen in the transport: ky's machinery would clone every Request in advance.
    this.#beforeRetry = options.hooks.beforeRetry?.length ? options.hooks.beforeRetry : undefined;
    this.#forcedRetries = Boolean(options.hooks.afterResponse?.length);
    const { beforeError = [], beforeRequest = [], ...userHooks } = options.hooks;
    this.#ky = ky.create({
      timeout: false, // per attempt, in the transport: time spent waiting for admission must not count
      throwHttpErrors: options.raiseHttpErrors,
      fetch: transport.fetch,
      retry: this.#forcedRetries ? forcedOnly(policy) : 0,
      hooks: {
        ...userHooks,
        beforeRequest: this.#beforeRetry ? [captureOptions, ...beforeRequest] : beforeRequest,
        beforeError: [(state) => toPublicError(state, policy.maxRetryAfter), ...beforeError],
      },
    });
  }

  send(method: string, target: Target, options: RequestOptions, authenticate: boolean): ResponsePromise {
    const call: Call = {
      attempt: 0,
      origin: target.origin,
      host: target.host,
      bearer: authenticate && target.bearer,
      sdkVersion: target.graphHost,
      requestId: undefined,
      policy: this.#options.retry,
      timeout: this.#options.timeout,
      callerSignal: undefined,
      trace: undefined,
      beforeRetry: this.#beforeRetry,
    };
    const kyOptions: KyOptions & { [CALL]: CallState } = { method, [CALL]: call };
    let headers = this.#defaultHeaders;
    // One pass over the caller's few keys: checked (a typo such as `signl` would drop a deadline)
    // and copied; ky's own options go to ky as they are.
    for (const key in options) {
      const value = (options as Record<string, unknown>)[key];
      switch (key) {
        case 'headers': headers = mergeHeaders(this.#options.defaultHeaders, value as HeaderInput | undefined); break;
        case 'retry': if (value !== undefined) call.policy = resolveRetry(value as RequestOptions['retry'], this.#options.retry, 'retry', 'request'); break;
        case 'timeout': if (value !== undefined) call.timeout = checkTimeout(value); break;
        case 'raiseHttpErrors': if (value !== undefined) kyOptions.throwHttpErrors = value as boolean; break;
        case 'body': if (isJsonBody(value)) kyOptions.json = value; else if (value !== undefined) kyOptions.body = value as BodyInit | null; break;
        default:
          if (!REQUEST_KEYS.has(key)) throw unknownOptionError('@graphwire/core', 'request', key, [...REQUEST_KEYS]);
          (kyOptions as unknown as Record<string, unknown>)[key] = value;
      }
    }
    if (authenticate && target.graphHost && !target.bearer) {
      throw configError(`refusing to send the bearer token to ${target.host} over plain http: use https (http only for loopback hosts)`);
    }
    if (headers) {
      if (headers.authorization !== undefined) {
        throw configError('an Authorization header was given: tokens come from `session` (e.g. new StaticTokenSession(token)) so they reach allowed hosts only, and con.naive never sends one');
      }
      kyOptions.headers = headers;
    }
    if (kyOptions.signal) call.callerSignal = kyOptions.signal;
    const { hooks } = kyOptions;
    if (hooks !== undefined) {
      validateOptions('@graphwire/core', 'request', { hooks }, { hooks: HOOKS_RULE });
      if (hooks.beforeRetry?.length) {
        call.beforeRetry = [...(this.#beforeRetry ?? []), ...hooks.beforeRetry];
        if (!this.#beforeRetry) kyOptions.hooks = { ...hooks, beforeRequest: [captureOptions, ...(hooks.beforeRequest ?? [])] };
      }
    }
    if (this.#forcedRetries ? call.policy !== this.#options.retry : Boolean(hooks?.afterResponse?.length)) kyOptions.retry = forcedOnly(call.policy);
    const telemetry = this.#telemetry;
    if (!telemetry) return this.#ky(target.url, kyOptions);
    const trace = (call.trace = startTrace(telemetry, method, target.url, target.host));
    if (!trace) return this.#ky(target.url, kyOptions);
    return traced(trace, call, () => this.#ky(target.url, kyOptions));
  }

  /** `$batch` items answered: each spent the host's budget, as a direct request would have. */
  answered(host: string, items: number): void {
    this.#scheduler.answered(host, items);
  }

  /** 429s seen outside an attempt (throttled `$batch` sub-requests): pause `host` as a direct 429 would. */
  throttled(host: string, ms: number, count = 1): void {
    const pause = Math.min(ms, this.#options.retry.maxRetryAfter);
    this.#scheduler.throttled(host, pause);
    const telemetry = this.#telemetry;
    if (telemetry) safely(() => telemetry.throttled?.({ host, retryAfterMs: pause, source: 'batch', count }));
  }

  close(): void {
    // Once, even if closed twice; the channel itself is the caller's (it may be shared): it stays open.
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    unlisten?.();
    this.#scheduler.close(configError('the Connection was closed while this request waited to start'));
  }
}

/** Gives the transport ky's normalized options for the beforeRetry hooks it runs. */
function captureOptions({ options }: BeforeRequestState): void {
  const call = (options as { [CALL]?: CallState })[CALL];
  if (call) call.kyOptions = options;
}


/**
 * ky's retries, for those an afterResponse hook forces with `ky.retry()` alone (they cost ky a
 * Request clone per request, so they are on only where such hooks exist): every other retry is the transport's.
 */
function forcedOnly(policy: RetryPolicy): KyOptions['retry'] {
  return { limit: policy.limit, delay: (retry) => backoffDelay(retry, policy), shouldRetry: () => false };
}

/** The connection's rule, with its message on the rare failing path only (validateOptions allocates). */
function checkTimeout(value: unknown): number | false {
  if (!TIMEOUT_RULE.test(value)) validateOptions('@graphwire/core', 'request', { timeout: value }, { timeout: TIMEOUT_RULE });
  return value as number | false;
}

function isJsonBody(body: unknown): body is Record<string, unknown> | unknown[] {
  if (Array.isArray(body)) return true;
  if (typeof body !== 'object' || body === null) return false;
  const proto: unknown = Object.getPrototypeOf(body);
  return proto === Object.prototype || proto === null;
}
