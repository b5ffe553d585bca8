import { parseJsonObject, type RawRequest, type RouteTable, type SimRequest } from './sim-request.js';
import { errorResponse, type SimResponse } from './sim-response.js';

const VERSIONED = /^\/(v1\.0|beta)(?=\/|$)(.*)$/;

/** True for paths under `/v1.0` or `/beta`, the ones that need a bearer. */
export function isGraphPath(path: string): boolean {
  return VERSIONED.test(path);
}

/** One request to dispatch: from a socket, or a `$batch` item. */
export interface DispatchInput {
  method: string;
  url: URL;
  headers: Record<string, string>;
  origin: string;
  caller: string;
  readBody(): Promise<Buffer>;
}

/** Runs the first route that owns the request: Graph routes under a version, raw routes elsewhere. */
export async function dispatch(routes: RouteTable, input: DispatchInput): Promise<SimResponse> {
  const raw = toRawRequest(input);
  const match = VERSIONED.exec(input.url.pathname);
  if (!match) {
    for (const route of routes.raw) {
      const response = await route(raw);
      if (response) return response;
    }
    const version = input.url.pathname.split('/')[1] ?? '';
    return errorResponse(400, 'BadRequest', `Invalid version: ${version}`);
  }
  const request: SimRequest = {
    ...raw,
    version: match[1] as 'v1.0' | 'beta',
    segments: (match[2] ?? '').split('/').filter(Boolean).map(decodeSegment),
  };
  for (const route of routes.graph) {
    const response = await route(request);
    if (response) return response;
  }
  return errorResponse(404, 'itemNotFound', 'The resource could not be found.');
}

function toRawRequest(input: DispatchInput): RawRequest {
  let body: Promise<Buffer> | undefined;
  let json: Promise<Record<string, unknown> | undefined> | undefined;
  const readBody = () => (body ??= input.readBody());
  return {
    method: input.method === 'HEAD' ? 'GET' : input.method,
    path: input.url.pathname,
    query: input.url.searchParams,
    headers: input.headers,
    origin: input.origin,
    caller: input.caller,
    readBody,
    readJsonObject: () => (json ??= readBody().then((buffer) => parseJsonObject(buffer.toString('utf8')))),
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
