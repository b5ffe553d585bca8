// @graphwire/core/opentelemetry — spans and metrics through @opentelemetry/api (an optional peer
// dependency: only this entry imports it, the main entry never does).
//   new Connection({ session, telemetry: openTelemetry() })
// A span per logical request (its retries, waits and final status) and counters for requests,
// retries, 429s and token acquisitions. No token, Authorization header or query string is recorded.
import {
  type Attributes, type Counter, type Histogram, type Meter, type Span, type Tracer,
  SpanKind, SpanStatusCode, context, metrics, trace,
} from '@opentelemetry/api';
import { validateOptions } from './option-rules.js';
import type {
  RequestObserver, RequestOutcome, RetryEvent, Telemetry, TelemetryRequest, ThrottleEvent, TokenAcquisitionEvent,
} from './telemetry.js';
import { urlTemplate } from './url-template.js';
import { VERSION } from './version.js';

export type {
  RequestObserver, RequestOutcome, RetryEvent, Telemetry, TelemetryRequest, ThrottleEvent, TokenAcquisitionEvent,
} from './telemetry.js';
export { urlTemplate } from './url-template.js';
export type { UrlParts } from './url-template.js';

/** Options of `openTelemetry(options)`: where spans and metrics go. Both default to the global providers. */
export interface OpenTelemetryOptions {
  /** Default `trace.getTracer('@graphwire/core', VERSION)` from the global tracer provider. */
  tracer?: Tracer;
  /** Default `metrics.getMeter('@graphwire/core', VERSION)`, taken at the first request (register your SDK before it). */
  meter?: Meter;
}

const NAME = '@graphwire/core';
const isObject = (v: unknown) => typeof v === 'object' && v !== null;
const RULES = {
  tracer: { expected: 'an OpenTelemetry Tracer', test: (v: unknown) => isObject(v) && typeof (v as Tracer).startSpan === 'function' },
  meter: { expected: 'an OpenTelemetry Meter', test: (v: unknown) => isObject(v) && typeof (v as Meter).createCounter === 'function' },
};
// OpenTelemetry's recommended buckets for http.client.request.duration, in seconds.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const ERROR_NAME = /^[A-Za-z][\w.]{0,63}$/;
const MAX_REQUEST_ID = 100;

interface Instruments {
  requests: Counter;
  retries: Counter;
  throttled: Counter;
  tokens: Counter;
  duration: Histogram;
}

/** A Telemetry that reports to OpenTelemetry: `new Connection({ ..., telemetry: openTelemetry() })`. */
export function openTelemetry(options: OpenTelemetryOptions = {}): Telemetry {
  validateOptions('@graphwire/core', 'openTelemetry', options, RULES);
  return new OpenTelemetryHooks(options.tracer ?? trace.getTracer(NAME, VERSION), options.meter);
}

class OpenTelemetryHooks implements Telemetry {
  readonly #tracer: Tracer;
  readonly #meter: Meter | undefined;
  #instruments: Instruments | undefined;

  constructor(tracer: Tracer, meter: Meter | undefined) {
    this.#tracer = tracer;
    this.#meter = meter;
  }

  /** Created at first use, so a global meter provider registered after openTelemetry() is still used. */
  get instruments(): Instruments {
    return (this.#instruments ??= createInstruments(this.#meter ?? metrics.getMeter(NAME, VERSION)));
  }

  request({ method, url }: TelemetryRequest): RequestObserver {
    const { template, address, port } = urlTemplate(url);
    const base: Attributes = { 'http.request.method': method, 'server.address': address, 'server.port': port };
    const span = this.#tracer.startSpan(`${method} ${template}`, {
      kind: SpanKind.CLIENT,
      attributes: { ...base, 'url.template': template },
    });
    return new SpanObserver(this, span, base);
  }

  throttled({ host, count, source }: ThrottleEvent): void {
    const address = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
    this.instruments.throttled.add(count, { 'server.address': address, 'graphwire.throttle.source': source });
  }

  tokenAcquired({ forced, ok }: TokenAcquisitionEvent): void {
    const attributes: Attributes = { 'graphwire.token.forced': forced };
    if (!ok) attributes['error.type'] = 'token_acquisition_failed';
    this.instruments.tokens.add(1, attributes);
  }
}

class SpanObserver implements RequestObserver {
  readonly #hooks: OpenTelemetryHooks;
  readonly #span: Span;
  readonly #base: Attributes;
  readonly #started = performance.now();

  constructor(hooks: OpenTelemetryHooks, span: Span, base: Attributes) {
    this.#hooks = hooks;
    this.#span = span;
    this.#base = base;
  }

  /** The request runs with its span active: HTTP instrumentation below graphwire nests under it. */
  run<T>(fn: () => T): T {
    return context.with(trace.setSpan(context.active(), this.#span), fn);
  }

  retry({ attempt, reason }: RetryEvent): void {
    this.#span.addEvent('graphwire.retry', { 'graphwire.attempt': attempt, 'graphwire.retry.reason': reason });
    this.#hooks.instruments.retries.add(1, { ...this.#base, 'graphwire.retry.reason': reason });
  }

  end({ status, error, attempts, pauseMs, retryAfterMs, requestId }: RequestOutcome): void {
    const span = this.#span;
    const outcome: Attributes = {};
    if (status !== undefined) outcome['http.response.status_code'] = status;
    const errorType = status !== undefined && status >= 400 ? String(status) : error === undefined ? undefined : errorName(error);
    if (errorType !== undefined) outcome['error.type'] = errorType;
    span.setAttributes({
      ...outcome,
      'graphwire.attempts': attempts,
      'graphwire.wait.pause_ms': pauseMs,
      'graphwire.wait.retry_after_ms': retryAfterMs,
    });
    if (requestId) span.setAttribute('graphwire.request_id', requestId.slice(0, MAX_REQUEST_ID));
    // Messages are not recorded: a server's or caller's text may quote a URL with its query.
    if (errorType !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    const { instruments } = this.#hooks;
    const attributes = { ...this.#base, ...outcome };
    instruments.requests.add(1, attributes);
    instruments.duration.record((performance.now() - this.#started) / 1000, attributes);
  }
}

function createInstruments(meter: Meter): Instruments {
  return {
    requests: meter.createCounter('graphwire.requests', { description: 'Logical requests (each with its retries), by final status', unit: '{request}' }),
    retries: meter.createCounter('graphwire.retries', { description: 'Attempts sent again after a retryable failure', unit: '{retry}' }),
    throttled: meter.createCounter('graphwire.throttled', { description: '429 responses received, $batch sub-requests included', unit: '{response}' }),
    tokens: meter.createCounter('graphwire.token.acquisitions', { description: 'Calls to the session for an access token (cache hits not counted)', unit: '{acquisition}' }),
    duration: meter.createHistogram('http.client.request.duration', {
      description: 'Duration of logical requests until response headers, retries and waits included',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
  };
}

/** A low-cardinality name: the error class's own (`TypeError`, `TimeoutError`, `GraphAuthError`), never free text. */
function errorName(error: unknown): string {
  const name = error instanceof Error || (isObject(error) && typeof (error as Error).name === 'string') ? (error as Error).name : undefined;
  return name && ERROR_NAME.test(name) ? name : '_OTHER';
}
