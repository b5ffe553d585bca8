import type { Route, SimRequest } from '../sim-request.js';
import { errorResponse, jsonResponse } from '../sim-response.js';
import { takePage } from './paging.js';
import { applySelect, selectedProperties } from './select.js';

export type GraphUser = Record<string, unknown> & { id: string; userPrincipalName: string };

// Graph's default page size for users is larger; 10 makes paging visible with the 25 seeded users.
const DEFAULT_TOP = 10;

export function seedUser(n: number): GraphUser {
  const upn = `user${n}@contoso.test`;
  return { id: `user-${n}`, displayName: `User ${n}`, userPrincipalName: upn, mail: upn };
}

export function seedUsers(count: number): GraphUser[] {
  return Array.from({ length: count }, (_, i) => seedUser(i + 1));
}

/**
 * `GET /me`, `GET /users` (paged), `GET /users/delta` (paged, the last page carrying
 * `@odata.deltaLink`) and `GET /users/{id or userPrincipalName}`, over read-only seeded data.
 */
export function usersRoute(users: readonly GraphUser[], me: Record<string, unknown>): Route {
  return (request) => {
    if (request.method !== 'GET') return undefined;
    const [first, id, ...rest] = request.segments;
    if (rest.length > 0) return undefined;
    if (first === 'me' && id === undefined) return entity(request, me);
    if (first !== 'users') return undefined;
    if (id === undefined) return list(request, users);
    if (id === 'delta') return list(request, users, true);
    const user = users.find((u) => u.id === id || u.userPrincipalName.toLowerCase() === id.toLowerCase());
    if (!user) {
      return errorResponse(404, 'itemNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    }
    return entity(request, user);
  };
}

function entity(request: SimRequest, user: Record<string, unknown>) {
  const select = selectedProperties(request);
  return jsonResponse(200, { '@odata.context': context(request, select, '/$entity'), ...applySelect(user, select) });
}

function list(request: SimRequest, users: readonly GraphUser[], delta = false) {
  // A delta round started from a deltaLink reports no changes: the data is read-only.
  const page = takePage(delta && request.query.has('$deltatoken') ? [] : users, request, DEFAULT_TOP);
  if ('error' in page) return page.error;
  const select = selectedProperties(request);
  const body: Record<string, unknown> = { '@odata.context': context(request, select, delta ? '/delta' : '') };
  if (page.nextLink !== undefined) body['@odata.nextLink'] = page.nextLink;
  else if (delta) body['@odata.deltaLink'] = `${request.origin}/${request.version}/users/delta?$deltatoken=${Date.now().toString(36)}`;
  body.value = page.items.map((user) => applySelect(user, select));
  return jsonResponse(200, body);
}

function context(request: SimRequest, select: string[] | undefined, suffix: string): string {
  const projection = select ? `(${select.join(',')})` : '';
  return `${request.origin}/${request.version}/$metadata#users${projection}${suffix}`;
}
