import type { IncomingMessage } from 'node:http';
import { readBody } from './http-util.js';
import { parseJsonObject, type Route, type SimRequest } from './sim-request.js';
import { errorResponse, type SimResponse } from './sim-response.js';

const VERSIONED = /^\/(v1\.0|beta)(?=\/|$)(.*)$/;

/** True for paths under `/v1.0` or `/beta`, the ones that need a bearer. */
export function isGraphPath(path: string): boolean {
  return VERSIONED.test(path);
}

/** Runs the first route that owns the request. */
export async function dispatch(
  routes: readonly Route[],
  request: IncomingMessage,
  url: URL,
  fallbackOrigin: string,
): Promise<SimResponse> {
  const match = VERSIONED.exec(url.pathname);
  if (!match) {
    const version = url.pathname.split('/')[1] ?? '';
    return errorResponse(400, 'BadRequest', `Invalid version: ${version}`);
  }
  const simRequest = toSimRequest(request, url, match[1] as 'v1.0' | 'beta', match[2] ?? '', fallbackOrigin);
  for (const route of routes) {
    const response = await route(simRequest);
    if (response) return response;
  }
  return errorResponse(404, 'itemNotFound', 'The resource could not be found.');
}

function toSimRequest(
  request: IncomingMessage,
  url: URL,
  version: 'v1.0' | 'beta',
  rest: string,
  fallbackOrigin: string,
): SimRequest {
  let body: Promise<Record<string, unknown> | undefined> | undefined;
  const method = (request.method ?? 'GET').toUpperCase();
  return {
    method: method === 'HEAD' ? 'GET' : method,
    version,
    segments: rest.split('/').filter(Boolean).map(decodeSegment),
    query: url.searchParams,
    origin: request.headers.host ? `http://${request.headers.host}` : fallbackOrigin,
    readJsonObject: () => (body ??= readBody(request).then((buffer) => parseJsonObject(buffer.toString('utf8')))),
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
