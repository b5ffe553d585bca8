// What the pipeline reports to an observer (`openTelemetry()` from '@graphwire/core/opentelemetry'
// is one; anything with these methods is another). Without the `telemetry` option every hook site
// is a single `undefined` check: no object, closure or clock read is added to a request.
import { isGraphError } from './errors/graph-error.js';

/** Hooks the pipeline calls; each is optional. No argument ever holds a token or an Authorization header. */
export interface Telemetry {
  /**
   * A logical request starts (once, before its first attempt; its retries are part of it). What it
   * returns receives the rest of that request's events.
   */
  request?(start: TelemetryRequest): RequestObserver | undefined;
  /** 429s were received: on a response, or on `$batch` sub-requests (`count` of them). */
  throttled?(event: ThrottleEvent): void;
  /** The session was asked for a token: each actual `getAccessToken` call, never a cache hit. */
  tokenAcquired?(event: TokenAcquisitionEvent): void;
}

/** A logical request as `Telemetry.request` sees it, before its first attempt. */
export interface TelemetryRequest {
  /** The HTTP method, upper-cased. */
  method: string;
  /**
   * The absolute URL, query string included: an observer must strip what it must not record
   * (`openTelemetry()` records a path template without any query).
   */
  url: string;
  /** `host[:port]`, lower-cased. */
  host: string;
}

/** Receives the events of one logical request: what `Telemetry.request` returns. Its exceptions are ignored. */
export interface RequestObserver {
  /** Another attempt is about to start: `attempt` counts from 2; `reason` says why the previous one failed. */
  retry?(event: RetryEvent): void;
  /** The request ended with its final response (whatever its status) or its error. */
  end(outcome: RequestOutcome): void;
  /**
   * Runs the request inside the observer's context (e.g. its span made active), if it has one: it
   * must call `fn` at once. The request's outcome is `fn`'s own; what `run` returns or throws is ignored.
   */
  run?<T>(fn: () => T): T;
}

/** Another attempt of a request is about to start. */
export interface RetryEvent {
  /** The number of the attempt about to start: 2 for the first retry. */
  attempt: number;
  /** `http_<status>`, `timeout` or `network_error`. */
  reason: string;
}

/** How a logical request ended, passed to `RequestObserver.end`. */
export interface RequestOutcome {
  /** The final status, also for a GraphError; undefined when no response came. */
  status: number | undefined;
  /** Why the request rejected; undefined when it resolved (whatever its status). */
  error: unknown;
  /** Attempts sent, retries included (a 401 refresh-and-replay is part of its attempt). */
  attempts: number;
  /** Milliseconds spent waiting for admission: a 429 pause, request spacing, the concurrency cap. */
  pauseMs: number;
  /** Milliseconds waited before retries because a Retry-After header said so. */
  retryAfterMs: number;
  /** Graph's `request-id` response header. */
  requestId: string | undefined;
}

/** 429s received from a host; the connection pauses that host for `retryAfterMs`. */
export interface ThrottleEvent {
  /** The throttled host, `host[:port]`, lower-cased. */
  host: string;
  /** How long the host is paused for, in ms. */
  retryAfterMs: number;
  /** `'response'` for a direct response, `'batch'` for `$batch` sub-responses. */
  source: 'response' | 'batch';
  /** How many 429s: 1 for a response, the number of throttled items for a `$batch` call. */
  count: number;
}

/** One call to the session's `getAccessToken` (never a cache hit). */
export interface TokenAcquisitionEvent {
  /** A forced refresh: after a 401, a claims challenge, or `getAccessToken({ forceRefresh: true })`. */
  forced: boolean;
  /** A usable token came back; false when the session failed or returned none. */
  ok: boolean;
  /** How long the session took, in ms. */
  durationMs: number;
}

/** Per logical request, while an observer listens: rides in the transport's call state. */
export interface RequestTrace {
  observer: RequestObserver;
  pauseMs: number;
  retryAfterMs: number;
  retryReason: string | undefined;
}

export function startTrace(telemetry: Telemetry, method: string, url: string, host: string): RequestTrace | undefined {
  let observer: RequestObserver | undefined;
  try {
    observer = telemetry.request?.({ method, url, host });
  } catch {
    return undefined; // an observer's failure never changes a request's outcome
  }
  return observer ? { observer, pauseMs: 0, retryAfterMs: 0, retryReason: undefined } : undefined;
}

/** Runs `send` under the observer and reports its end; the caller gets `send`'s own promise. */
export function traced<P extends Promise<Response>>(trace: RequestTrace, call: { attempt: number }, send: () => P): P {
  const { observer } = trace;
  const end = (status: number | undefined, error: unknown, requestId: string | null | undefined) => {
    safely(() => observer.end({ status, error, attempts: call.attempt, pauseMs: trace.pauseMs, retryAfterMs: trace.retryAfterMs, requestId: requestId ?? undefined }));
  };
  // `send` runs exactly once, inside `run` if the observer has one; whatever `run` does besides
  // (throw before or after calling it, return something else, never call it) cannot change the outcome.
  let sent: { promise: P } | { error: unknown } | undefined;
  const once = (): P => {
    if (!sent) {
      try {
        sent = { promise: send() };
      } catch (error) {
        sent = { error };
      }
    }
    if ('error' in sent) throw sent.error;
    return sent.promise;
  };
  if (observer.run) {
    safely(() => {
      const result: unknown = observer.run?.(once);
      // An async `run` that rejects (after calling `fn`) must not become an unhandled rejection.
      if (result !== (sent as { promise?: P } | undefined)?.promise && typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
        (result as PromiseLike<unknown>).then(undefined, noop);
      }
    });
  }
  if (!sent) safely(once);
  if (!sent || 'error' in sent) {
    const error = sent?.error;
    end(undefined, error, undefined); // e.g. fetch refusing a GET with a body
    throw error;
  }
  const { promise } = sent;
  promise.then(
    (response) => end(response.status, undefined, response.headers.get('request-id')),
    (error: unknown) => isGraphError(error) ? end(error.status, error, error.requestId) : end(undefined, error, undefined),
  );
  return promise;
}

const noop = () => undefined;

/** Runs an observer's hook; an exception in it is dropped (telemetry never breaks a request). */
export function safely(hook: () => void): void {
  try {
    hook();
  } catch {
    // ignored on purpose
  }
}
