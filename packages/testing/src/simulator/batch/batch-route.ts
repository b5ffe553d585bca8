import { randomUUID } from 'node:crypto';
import type { Route } from '../sim-request.js';
import { errorResponse, jsonResponse, type SimResponse } from '../sim-response.js';
import type { SimulatorStats, SubRequestRecord } from '../stats.js';
import { orderResponses, type BatchResponseOrder } from './batch-order.js';
import { parseBatch, type BatchItem } from './batch-request.js';
import type { SubRequest } from './sub-request.js';
import { batchResponseItem } from './sub-response.js';

export interface BatchContext {
  stats: SimulatorStats;
  order: BatchResponseOrder;
  /** Runs one item through the per-item pipeline (faults, throttle, routes). */
  run(sub: SubRequest): Promise<SimResponse>;
}

/** `POST /$batch`: Graph's JSON batching. The outer request has passed the normal pipeline already. */
export function batchRoute(context: BatchContext): Route {
  return async (request) => {
    if (request.segments.length !== 1 || request.segments[0] !== '$batch') return undefined;
    if (request.method !== 'POST') {
      return errorResponse(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
    }
    const batch = context.stats.batches++;
    const parsed = parseBatch(await request.readJsonObject());
    if ('error' in parsed) return parsed.error;

    const records = new Map<string, SubRequestRecord>();
    for (const item of parsed.items) {
      const record = { batch, id: item.id, method: item.method, url: item.url, status: 0, headers: item.headers };
      records.set(item.id, record);
      context.stats.subRequestLog.push(record);
    }
    context.stats.subRequests += parsed.items.length;

    const { version, origin, caller } = request;
    const results = await runInDependencyOrder(parsed.items, (item) => context.run({ item, version, origin, caller }));
    const responses = parsed.items.map((item) => {
      records.get(item.id)!.status = results.get(item.id)!.status;
      const ids = { requestId: randomUUID(), clientRequestId: item.headers['client-request-id'] ?? randomUUID(), now: new Date() };
      return batchResponseItem(item.id, results.get(item.id)!, ids);
    });
    return jsonResponse(200, { responses: orderResponses(responses, context.order, batch) });
  };
}

/**
 * Items without dependencies start at once (Graph runs them in any order); an item waits for
 * everything it depends on and is not run at all when one of them failed. Cycles were refused
 * by `parseBatch`, so every wait ends.
 */
async function runInDependencyOrder(
  items: readonly BatchItem[],
  run: (item: BatchItem) => Promise<SimResponse>,
): Promise<Map<string, SimResponse>> {
  const byId = new Map(items.map((item) => [item.id, item]));
  const started = new Map<string, Promise<SimResponse>>();
  const start = (item: BatchItem): Promise<SimResponse> => {
    const existing = started.get(item.id);
    if (existing) return existing;
    const dependencies = item.dependsOn.map((id) => start(byId.get(id)!));
    const promise = Promise.all(dependencies).then((results) => {
      const failed = results.findIndex((result) => result.status >= 400);
      if (failed === -1) return run(item);
      const dependency = item.dependsOn[failed]!;
      return errorResponse(
        424,
        'FailedDependency',
        `Request '${item.id}' was not run: it depends on request '${dependency}', which failed with status ${results[failed]!.status}.`,
      );
    });
    started.set(item.id, promise);
    return promise;
  };
  const results = await Promise.all(items.map(async (item) => [item.id, await start(item)] as const));
  return new Map(results);
}
