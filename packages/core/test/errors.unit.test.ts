import { describe, expect, it, vi } from 'vitest';
import { GraphAuthError, GraphError, isGraphAuthError, isGraphError } from '@graphwire/core';
import type * as AuthErrorModule from '../src/errors/graph-auth-error.js';
import type * as ErrorModule from '../src/errors/graph-error.js';

const graphBody = {
  error: {
    code: 'itemNotFound',
    message: 'The resource could not be found.',
    innerError: { date: '2026-11-28T10:00:00', 'request-id': 'inner-rid', 'client-request-id': 'inner-crid' },
  },
};

function make(status: number, body: unknown, headers: Record<string, string> = {}) {
  const response = new Response(null, { status, headers });
  return new GraphError({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/me/x', response, body });
}

describe('GraphError', () => {
  it("parses Graph's error JSON and headers", () => {
    const e = make(404, graphBody, { 'request-id': 'rid-1', 'client-request-id': 'crid-1', date: 'Sat, 28 Nov 2026 10:00:00 GMT' });
    expect(e.message).toBe('GET https://graph.microsoft.com/v1.0/me/x failed: 404 itemNotFound: The resource could not be found. (request-id rid-1)');
    expect(e).toMatchObject({ status: 404, code: 'itemNotFound', requestId: 'rid-1', clientRequestId: 'crid-1', method: 'GET' });
    expect(e.innerError).toEqual(graphBody.error.innerError);
    expect(e.date?.toISOString()).toBe('2026-11-28T10:00:00.000Z');
    expect(e.body).toEqual(graphBody);
  });

  it('falls back to innerError ids when headers are missing, and reads Retry-After', () => {
    const e = make(429, graphBody, { 'retry-after': '7' });
    expect(e).toMatchObject({ requestId: 'inner-rid', clientRequestId: 'inner-crid', retryAfterMs: 7000 });
  });

  it('still describes malformed bodies with their status', () => {
    expect(make(502, '<html><body>Bad gateway</body></html>', { 'content-type': 'text/html' }).message).toBe(
      'GET https://graph.microsoft.com/v1.0/me/x failed: 502: unexpected error body (text/html, 37 characters)',
    );
    expect(make(500, '').message).toBe('GET https://graph.microsoft.com/v1.0/me/x failed: 500');
    expect(make(500, undefined).code).toBeUndefined();
    const truncated = make(500, '{"error":{"code":"generalEx', { 'content-type': 'application/json' });
    expect(truncated.status).toBe(500);
    expect(truncated.body).toBe('{"error":{"code":"generalEx');
    const huge = make(500, JSON.stringify({ error: { code: 'big', message: 'x'.repeat(100_000) } }));
    expect(huge.code).toBe('big');
    expect(huge.message.length).toBeLessThan(600);
  });

  it('parses JSON sent as text', () => {
    expect(make(400, JSON.stringify(graphBody)).code).toBe('itemNotFound');
  });

  it('redacts credentials in the URL', () => {
    const response = new Response(null, { status: 403 });
    const e = new GraphError({ method: 'GET', url: 'https://x.sharepoint.com/f?tempauth=SECRET', response, body: undefined });
    expect(e.url).toBe('https://x.sharepoint.com/f?tempauth=[redacted]');
    expect(e.message).not.toContain('SECRET');
  });
});

describe('guards', () => {
  it('recognise errors from another copy of the package (another realm or bundle)', async () => {
    vi.resetModules();
    // `as string` keeps TypeScript from resolving the `?copy` specifier, which only Vite understands.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- see above
    const other = await import('../src/errors/graph-error.js?copy' as string) as typeof ErrorModule;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- see above
    const otherAuth = await import('../src/errors/graph-auth-error.js?copy' as string) as typeof AuthErrorModule;
    const foreign = new other.GraphError({ method: 'GET', url: 'https://a/b', response: new Response(null, { status: 500 }), body: undefined });
    expect(foreign).not.toBeInstanceOf(GraphError);
    expect(isGraphError(foreign)).toBe(true);
    expect(isGraphAuthError(new otherAuth.GraphAuthError('x'))).toBe(true);
    expect(isGraphError(new GraphAuthError('x'))).toBe(false);
    expect(isGraphError({ name: 'GraphError' })).toBe(false);
    expect(isGraphError(null)).toBe(false);
  });
});
