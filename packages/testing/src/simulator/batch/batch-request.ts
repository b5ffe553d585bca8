import { errorResponse, type SimResponse } from '../sim-response.js';

/** Graph's limit on requests in one `$batch`. */
export const MAX_BATCH_REQUESTS = 20;

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);

/** One validated item of a `$batch` body. */
export interface BatchItem {
  id: string;
  method: string;
  /** As sent: relative to the version, with or without a leading `/`. */
  url: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** True when the item has a `body` property (even `null`). */
  hasBody: boolean;
  body: unknown;
  dependsOn: string[];
}

export type ParsedBatch = { items: BatchItem[] } | { error: SimResponse };

/**
 * Validates a `$batch` body the way Graph does before running anything: any malformed item,
 * duplicate id or dangling `dependsOn` fails the whole batch with 400 BadRequest.
 */
export function parseBatch(body: Record<string, unknown> | undefined): ParsedBatch {
  if (!body || !Array.isArray(body.requests)) {
    return invalid('Invalid batch payload format: the body must be a JSON object { "requests": [ ... ] }.');
  }
  const requests: unknown[] = body.requests;
  if (requests.length === 0) return invalid('Invalid batch payload format: the batch holds no requests.');
  if (requests.length > MAX_BATCH_REQUESTS) {
    return invalid(`Maximum number of requests in a batch is ${MAX_BATCH_REQUESTS}; this batch holds ${requests.length}.`);
  }
  const items: BatchItem[] = [];
  for (const [index, request] of requests.entries()) {
    const item = parseItem(request, index);
    if (typeof item === 'string') return invalid(item);
    if (items.some((other) => other.id === item.id)) {
      return invalid(`Request id '${item.id}' is used more than once: ids must be unique within a batch.`);
    }
    items.push(item);
  }
  const dependencyError = checkDependencies(items);
  return dependencyError ? invalid(dependencyError) : { items };
}

// A string is the reason the item is invalid.
function parseItem(value: unknown, index: number): BatchItem | string {
  if (!isObject(value)) return `requests[${index}] must be a JSON object.`;
  const { id, method, url, headers, dependsOn } = value;
  if (typeof id !== 'string' || id === '') return `requests[${index}] needs an 'id' (a non-empty string).`;
  if (typeof method !== 'string' || !METHODS.has(method.toUpperCase())) {
    return `Request '${id}' needs a 'method', one of ${[...METHODS].join(', ')}.`;
  }
  if (typeof url !== 'string' || url === '') return `Request '${id}' needs a 'url' relative to the version, e.g. '/me'.`;
  // Graph resolves item URLs against the batch's own version and host; an absolute one is a client bug.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    return `Request '${id}' has an absolute url: batch request URLs must be relative to the version, e.g. '/users/user-1'.`;
  }
  if (headers !== undefined && !(isObject(headers) && Object.values(headers).every((v) => typeof v === 'string'))) {
    return `Request '${id}' has invalid 'headers': expected an object of string values.`;
  }
  if (dependsOn !== undefined && !(Array.isArray(dependsOn) && dependsOn.every((d) => typeof d === 'string'))) {
    return `Request '${id}' has invalid 'dependsOn': expected an array of request ids.`;
  }
  const lowered: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries((headers ?? {}) as Record<string, string>)) {
    lowered[name.toLowerCase()] = headerValue;
  }
  return {
    id,
    method: method.toUpperCase(),
    url,
    headers: lowered,
    hasBody: Object.hasOwn(value, 'body'),
    body: value.body,
    dependsOn: dependsOn ?? [],
  };
}

function checkDependencies(items: readonly BatchItem[]): string | undefined {
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const item of items) {
    for (const dependency of item.dependsOn) {
      if (dependency === item.id) return `Request '${item.id}' depends on itself.`;
      if (!byId.has(dependency)) return `Request '${item.id}' depends on '${dependency}', which is not in the batch.`;
    }
  }
  // Depth-first search for a cycle, which would leave its items waiting on each other forever.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: BatchItem): string | undefined => {
    if (state.get(item.id) === 'done') return undefined;
    if (state.get(item.id) === 'visiting') return `Request '${item.id}' is part of a dependsOn cycle.`;
    state.set(item.id, 'visiting');
    for (const dependency of item.dependsOn) {
      const found = visit(byId.get(dependency)!);
      if (found) return found;
    }
    state.set(item.id, 'done');
    return undefined;
  };
  for (const item of items) {
    const found = visit(item);
    if (found) return found;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): { error: SimResponse } {
  return { error: errorResponse(400, 'BadRequest', message) };
}
