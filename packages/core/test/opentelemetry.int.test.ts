// OpenTelemetry through '@graphwire/core/opentelemetry', recorded by the OpenTelemetry SDK's
// in-memory span exporter and a manually collected metric reader, over a real simulator.
import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, type ContextManager, ROOT_CONTEXT, SpanKind, SpanStatusCode, context, metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { Connection, GraphError, StaticTokenSession, type ConnectionOptions } from '@graphwire/core';
import { openTelemetry } from '@graphwire/core/opentelemetry';
import { CountingSession, connect, simulator } from './support.js';
import type { GraphSimulator } from '@graphwire/testing';

class ManualReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

function recorder() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new ManualReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const telemetry = openTelemetry({ tracer: tracerProvider.getTracer('test'), meter: meterProvider.getMeter('test') });
  return {
    telemetry,
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    /** Data points by metric name: attributes and value (a sum, or a histogram's count). */
    async metrics(): Promise<Record<string, Array<{ attributes: Record<string, unknown>; value: number }>>> {
      const { resourceMetrics } = await reader.collect();
      const out: Record<string, Array<{ attributes: Record<string, unknown>; value: number }>> = {};
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          out[metric.descriptor.name] = metric.dataPoints.map((p) => ({
            attributes: p.attributes,
            value: typeof p.value === 'number' ? p.value : (p.value as { count: number }).count,
          }));
        }
      }
      return out;
    },
  };
}

const total = (points: Array<{ value: number }> | undefined) => (points ?? []).reduce((sum, p) => sum + p.value, 0);

async function traced(options: ConnectionOptions = {}, graph?: GraphSimulator) {
  const sim = graph ?? (await simulator());
  const rec = recorder();
  const con = connect(sim, { telemetry: rec.telemetry, ...options });
  return { graph: sim, con, ...rec };
}

describe('spans', () => {
  it('one CLIENT span per request, with semantic-convention attributes and the request-id', async () => {
    const { graph, con, spans } = await traced();
    const response = await con.get('me');
    const [span] = spans();
    expect(spans()).toHaveLength(1);
    expect(span!.name).toBe('GET /v1.0/me');
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.attributes).toEqual({
      'http.request.method': 'GET',
      'url.template': '/v1.0/me',
      'server.address': '127.0.0.1',
      'server.port': graph.port,
      'http.response.status_code': 200,
      'graphwire.attempts': 1,
      'graphwire.wait.pause_ms': 0,
      'graphwire.wait.retry_after_ms': 0,
      'graphwire.request_id': response.headers.get('request-id'),
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('replaces ids, UPNs and drive paths in the template, and drops the query', async () => {
    const { con, spans } = await traced({ raiseHttpErrors: false });
    await con.get('users/user1@contoso.test', { searchParams: { $select: 'displayName' } });
    await con.get('users/0b6e2f58-8c5c-4a54-9d26-3c3f62b1f8a1/messages/AAMkAGI2TG93AAA=');
    await con.get('me/drive/root:/reports/secret plan.pdf:/content');
    await con.get('users/user-2');
    expect(spans().map((s) => s.name)).toEqual([
      'GET /v1.0/users/{id}',
      'GET /v1.0/users/{id}/messages/{id}',
      'GET /v1.0/me/drive/root:{path}:/content',
      'GET /v1.0/users/{id}',
    ]);
  });

  it('a retried 503: attempts, a retry event and the Retry-After wait', async () => {
    const { graph, con, spans, metrics } = await traced();
    graph.script('GET /v1.0/me', [{ status: 503, retryAfter: 0 }, { status: 503, retryAfter: 1 }]);
    await con.get('me');
    const [span] = spans();
    expect(span!.attributes).toMatchObject({ 'http.response.status_code': 200, 'graphwire.attempts': 3 });
    expect(span!.attributes['graphwire.wait.retry_after_ms']).toBe(1000);
    expect(span!.events.map((e) => [e.name, e.attributes])).toEqual([
      ['graphwire.retry', { 'graphwire.attempt': 2, 'graphwire.retry.reason': 'http_503' }],
      ['graphwire.retry', { 'graphwire.attempt': 3, 'graphwire.retry.reason': 'http_503' }],
    ]);
    const m = await metrics();
    expect(total(m['graphwire.retries'])).toBe(2);
    expect(m['graphwire.retries']![0]!.attributes).toMatchObject({ 'http.request.method': 'GET', 'graphwire.retry.reason': 'http_503' });
    expect(total(m['graphwire.requests'])).toBe(1);
  });

  it('a 429: counted as throttled, and the pause it causes shows on the requests that waited', async () => {
    const { graph, con, spans, metrics, telemetry } = await traced();
    // Sent the second request once graphwire (not just the server) has seen the 429.
    const report = telemetry.throttled!.bind(telemetry);
    const seen = new Promise<void>((resolve) => {
      telemetry.throttled = (event) => { report(event); resolve(); };
    });
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 1 }]);
    const first = con.get('me');
    await seen;
    await Promise.all([first, con.get('users/user-2')]);
    const me = spans().find((s) => s.name === 'GET /v1.0/me')!;
    const other = spans().find((s) => s.name === 'GET /v1.0/users/{id}')!;
    expect(me.attributes).toMatchObject({ 'graphwire.attempts': 2, 'graphwire.wait.retry_after_ms': 1000 });
    expect(me.events[0]!.attributes).toMatchObject({ 'graphwire.retry.reason': 'http_429' });
    expect(other.attributes['graphwire.wait.pause_ms']).toBeGreaterThanOrEqual(900);
    const m = await metrics();
    expect(m['graphwire.throttled']).toEqual([{ attributes: { 'server.address': '127.0.0.1', 'graphwire.throttle.source': 'response' }, value: 1 }]);
  });

  it('a 404: status code, error.type and an error status, whether raised or resolved', async () => {
    const { con, spans, metrics } = await traced();
    await expect(con.get('users/nobody')).rejects.toBeInstanceOf(GraphError);
    await con.fetch('users/nobody');
    expect(spans()).toHaveLength(2);
    for (const span of spans()) {
      expect(span.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404' });
      expect(span.attributes['graphwire.request_id']).toBeTruthy();
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR });
    }
    const m = await metrics();
    expect(m['graphwire.requests']).toEqual([{ attributes: expect.objectContaining({ 'http.response.status_code': 404, 'error.type': '404' }), value: 2 }]);
    expect(total(m['http.client.request.duration'])).toBe(2);
  });

  it('a network failure: error.type without a status', async () => {
    const { graph, con, spans } = await traced({ retries: 0 });
    graph.script('GET /v1.0/me', [{ reset: true }]);
    await expect(con.get('me')).rejects.toMatchObject({ name: 'NetworkError' });
    expect(spans()[0]!.attributes).toMatchObject({ 'error.type': 'NetworkError', 'graphwire.attempts': 1 });
    expect(spans()[0]!.attributes['http.response.status_code']).toBeUndefined();
  });

  it('makes the span active while the request runs', async () => {
    const storage = new AsyncLocalStorage<Context>();
    const manager: ContextManager = {
      active: () => storage.getStore() ?? ROOT_CONTEXT,
      with: (ctx, fn, thisArg, ...args) => storage.run(ctx, () => fn.call(thisArg, ...args)),
      bind: (_ctx, target) => target,
      enable() { return this; },
      disable() { storage.disable(); return this; },
    };
    context.setGlobalContextManager(manager);
    try {
      const seen: Array<string | undefined> = [];
      const { con, spans } = await traced({ fetch: (input, init) => {
        seen.push(trace.getActiveSpan()?.spanContext().spanId);
        return fetch(input, init);
      } });
      await con.get('me');
      expect(seen).toEqual([spans()[0]!.spanContext().spanId]);
    } finally {
      context.disable();
    }
  });
});

describe('metrics', () => {
  it('counts one token acquisition for many requests, and a forced one after a revocation', async () => {
    const session = new CountingSession();
    const { graph, con, metrics } = await traced({ session });
    await Promise.all(Array.from({ length: 25 }, () => con.get('me')));
    graph.revokeToken('token-1');
    await con.get('me');
    const m = await metrics();
    expect(m['graphwire.token.acquisitions']).toEqual([
      { attributes: { 'graphwire.token.forced': false }, value: 1 },
      { attributes: { 'graphwire.token.forced': true }, value: 1 },
    ]);
    expect(total(m['graphwire.requests'])).toBe(26);
  });

  it('counts 429s of $batch sub-requests', async () => {
    const { graph, con, metrics } = await traced();
    graph.script('GET /v1.0/users/user-3', [{ status: 429, retryAfter: 1 }]);
    const results = await con.batch([{ method: 'GET', url: 'users/user-2' }, { method: 'GET', url: 'users/user-3' }]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const m = await metrics();
    expect(m['graphwire.throttled']).toEqual([{ attributes: { 'server.address': '127.0.0.1', 'graphwire.throttle.source': 'batch' }, value: 1 }]);
  });
});

describe('secrets', () => {
  it('records no token, Authorization header or query value anywhere', async () => {
    const graph = await simulator({ users: 4 });
    const token = 'secret-token-4f1c9a';
    const rec = recorder();
    const con = new Connection({ baseUrl: `${graph.url}/v1.0`, session: new StaticTokenSession(token), telemetry: rec.telemetry, raiseHttpErrors: false });
    for await (const _ of con.paginate('users', { searchParams: { $top: 2, $filter: "mail eq 'user1@contoso.test'" } })) void _;
    const { uploadUrl } = await con.post('me/drive/root:/a.bin:/createUploadSession', { json: {} }).json<{ uploadUrl: string }>();
    await con.naive.get(uploadUrl);
    await con.get(`${graph.url}/v1.0/users?$skiptoken=opaque-skip-value&code=auth-code-value`);
    await con.close();
    const spans = rec.spans();
    expect(spans.length).toBeGreaterThanOrEqual(5);
    expect(spans.map((s) => s.name)).toContain('GET /upload/sessions/{id}');
    const m = await rec.metrics();
    const recorded = JSON.stringify([
      spans.map((s) => [s.name, s.attributes, s.events.map((e) => [e.name, e.attributes]), s.status]),
      m,
    ]);
    const tempauth = new URL(uploadUrl).searchParams.get('tempauth')!;
    for (const secret of [token, 'Bearer', 'tempauth', tempauth, 'skiptoken', 'opaque-skip-value', 'auth-code-value', 'contoso', '?']) {
      expect(recorded, secret).not.toContain(secret);
    }
  });
});

describe('without telemetry', () => {
  it('works with no telemetry option, and a failing observer never changes an outcome', async () => {
    const graph = await simulator();
    await expect(connect(graph).get('me').json()).resolves.toMatchObject({ id: 'user-1' });
    const boom = () => { throw new Error('observer bug'); };
    const failing = connect(graph, { telemetry: { request: () => ({ end: boom, retry: boom }), throttled: boom, tokenAcquired: boom } });
    graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 0 }]);
    await expect(failing.get('me').json()).resolves.toMatchObject({ id: 'user-1' });
    const throwing = connect(graph, { telemetry: { request: boom } });
    await expect(throwing.get('me').json()).resolves.toMatchObject({ id: 'user-1' });
  });

  it('checks the option and openTelemetry()’s own options', () => {
    expect(() => new Connection({ telemetry: {} })).toThrow(/telemetry/);
    expect(() => openTelemetry({ tracr: {} } as never)).toThrow(/tracr/);
  });

  it('uses the global providers by default', async () => {
    const exporter = new InMemorySpanExporter();
    const reader = new ManualReader();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    try {
      const graph = await simulator();
      await connect(graph, { telemetry: openTelemetry() }).get('me');
      expect(exporter.getFinishedSpans().map((s) => [s.name, s.instrumentationScope.name])).toEqual([['GET /v1.0/me', '@graphwire/core']]);
      const { resourceMetrics } = await reader.collect();
      expect(resourceMetrics.scopeMetrics.map((s) => s.scope.name)).toEqual(['@graphwire/core']);
    } finally {
      trace.disable();
      metrics.disable();
    }
  });
});
