import { randomUUID } from 'node:crypto';
import type { Route, SimRequest } from '../sim-request.js';
import { emptyResponse, errorResponse, jsonResponse, type SimResponse } from '../sim-response.js';
import { takePage } from './paging.js';
import type { ResourceStore } from './resource-store.js';
import { applySelect, selectedProperties } from './select.js';

/**
 * Echo resources for every path no other route owns: POST to a collection creates `{ id, ...body }`,
 * and the item lives at `<collection>/<id>` for GET, PATCH, PUT and DELETE.
 */
export function resourcesRoute(store: ResourceStore): Route {
  return async (request) => {
    if (request.segments.length === 0) return notFound('');
    const path = request.segments.join('/');
    const parent = request.segments.slice(0, -1).join('/');
    const id = request.segments[request.segments.length - 1]!;
    if (request.segments.length === 1 && request.method !== 'GET' && request.method !== 'POST') return notAllowed();
    switch (request.method) {
      case 'GET':
        return read(request, store, path, parent, id);
      case 'POST':
        return withBody(request, (body) => {
          const resource = { id: randomUUID(), ...body };
          store.put(path, String(resource.id), resource);
          return jsonResponse(201, resource);
        });
      case 'PATCH':
        return withBody(request, (body) => {
          const existing = store.item(parent, id);
          if (!existing) return notFound(id);
          const merged = { ...existing, ...body, id: existing.id };
          store.put(parent, id, merged);
          return jsonResponse(200, merged);
        });
      case 'PUT':
        return withBody(request, (body) => {
          const existed = store.item(parent, id) !== undefined;
          const resource = { ...body, id };
          store.put(parent, id, resource);
          return jsonResponse(existed ? 200 : 201, resource);
        });
      case 'DELETE':
        return store.delete(parent, id) ? emptyResponse(204) : notFound(id);
      default:
        return notAllowed();
    }
  };
}

// A path is an item when its parent collection holds that id, else a collection. A collection
// nobody has written to lists empty, but an unknown id in a known collection is a 404.
function read(request: SimRequest, store: ResourceStore, path: string, parent: string, id: string): SimResponse {
  const select = selectedProperties(request);
  const item = request.segments.length > 1 ? store.item(parent, id) : undefined;
  if (item) return jsonResponse(200, applySelect(item, select));
  const collection = store.collection(path);
  if (!collection && request.segments.length > 1 && store.collection(parent)) return notFound(id);
  const page = takePage([...(collection?.values() ?? [])], request, undefined);
  if ('error' in page) return page.error;
  const body: Record<string, unknown> = { value: page.items.map((resource) => applySelect(resource, select)) };
  if (page.nextLink !== undefined) body['@odata.nextLink'] = page.nextLink;
  return jsonResponse(200, body);
}

async function withBody(request: SimRequest, use: (body: Record<string, unknown>) => SimResponse): Promise<SimResponse> {
  const body = await request.readJsonObject();
  if (!body) {
    return errorResponse(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
  return use(body);
}

function notAllowed(): SimResponse {
  return errorResponse(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
}

function notFound(id: string): SimResponse {
  return errorResponse(404, 'itemNotFound', `The resource '${id}' could not be found.`);
}
