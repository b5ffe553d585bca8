import type { SimRequest } from '../sim-request.js';
import { errorResponse, type SimResponse } from '../sim-response.js';

const MAX_TOP = 999;

export type Page<T> = { items: T[]; nextLink?: string } | { error: SimResponse };

/**
 * Server-driven paging as Graph does it: `$top` sets the page size and `@odata.nextLink` is an
 * absolute URL carrying an opaque `$skiptoken`, so clients must follow links rather than build them.
 */
export function takePage<T>(items: readonly T[], request: SimRequest, defaultTop: number | undefined): Page<T> {
  const topParam = request.query.get('$top');
  let top = defaultTop ?? items.length;
  if (topParam !== null) {
    top = Number(topParam);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
      return { error: badRequest(`Invalid page size specified: '${topParam}'. Must be between 1 and ${MAX_TOP} inclusive.`) };
    }
  }
  const skipParam = request.query.get('$skiptoken');
  const offset = skipParam === null ? 0 : decodeSkipToken(skipParam);
  if (offset === undefined) return { error: badRequest(`Invalid $skiptoken: '${skipParam}'.`) };

  const end = offset + top;
  const page = items.slice(offset, end);
  if (end >= items.length) return { items: page };
  return { items: page, nextLink: nextLink(request, end) };
}

function nextLink(request: SimRequest, offset: number): string {
  const params = new URLSearchParams(request.query);
  params.set('$skiptoken', Buffer.from(`offset:${offset}`).toString('base64url'));
  // Graph writes system query options with a literal `$`, not `%24`.
  const query = [...params].map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`);
  const path = request.segments.map(encodeURIComponent).join('/');
  return `${request.origin}/${request.version}/${path}?${query.join('&')}`;
}

function decodeSkipToken(token: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

function badRequest(message: string): SimResponse {
  return errorResponse(400, 'BadRequest', message);
}
