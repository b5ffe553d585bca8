import { dispatch } from '../dispatch.js';
import { faultAction } from '../fault-action.js';
import { pause } from '../http-util.js';
import type { SimulatorState } from '../request-pipeline.js';
import { errorResponse, type SimResponse } from '../sim-response.js';
import { recordExecution } from '../stats.js';
import type { BatchItem } from './batch-request.js';
import { isJsonContentType } from './sub-response.js';

/** One item to run, with what it inherits from its `$batch`. */
export interface SubRequest {
  item: BatchItem;
  version: 'v1.0' | 'beta';
  origin: string;
  /** The outer request's throttle key: items spend the budget of the token that sent the batch. */
  caller: string;
}

/**
 * Runs one item as if it were `METHOD /<version><url>`, with the per-item parts of the pipeline:
 * header check, scripted fault, throttle budget, handler. Authentication is the outer request's.
 */
export async function runSubRequest(state: SimulatorState, sub: SubRequest): Promise<SimResponse> {
  const { item } = sub;
  if (item.headers.authorization !== undefined) {
    return badRequest(`Request '${item.id}' carries an Authorization header: batch requests use the token of the $batch request itself.`);
  }
  const url = itemUrl(sub);
  if (typeof url === 'string') return badRequest(url);
  const body = itemBody(item);
  if (typeof body === 'string') return badRequest(body);
  const run = () => {
    recordExecution(state.stats, item.headers['client-request-id']);
    const input = { method: item.method, url, headers: item.headers, origin: sub.origin, caller: sub.caller };
    return dispatch(state.routes, { ...input, readBody: () => Promise.resolve(body) });
  };

  const fault = state.scripts.take(item.method, url.pathname);
  let extraHeaders: Record<string, string> = {};
  if (fault) {
    await pause(fault.latencyMs, state.signal);
    const action = faultAction(fault);
    if (action.kind === 'pass') {
      extraHeaders = action.headers;
    } else {
      if (action.execute) await run();
      // A batch item has no connection of its own to cut: a reset is the gateway failing the item.
      if (action.kind === 'reset') return errorResponse(504, 'GatewayTimeout', 'The connection to the backend was reset.');
      return action.response;
    }
  }
  const result = state.throttle?.admit(sub.caller) ?? (await run());
  return { ...result, headers: { ...result.headers, ...extraHeaders } };
}

function itemUrl({ item, version, origin }: SubRequest): URL | string {
  const relative = item.url.startsWith('/') ? item.url : `/${item.url}`;
  // '/v1.0/me' inside a batch would address '/v1.0/v1.0/me' on Graph: refuse it rather than echo it.
  if (/^\/(v1\.0|beta)(\/|$)/.test(relative)) {
    return `Request '${item.id}' url starts with a version: batch request URLs are relative to the version, e.g. '/me'.`;
  }
  if (/^\/\$batch(\/|\?|$)/.test(relative)) return `Request '${item.id}': a $batch cannot contain a $batch.`;
  try {
    return new URL(`${origin}/${version}${relative}`);
  } catch {
    return `Request '${item.id}' has an invalid url.`;
  }
}

// JSON bodies are JSON values; any other declared Content-Type carries its bytes as base64.
function itemBody(item: BatchItem): Buffer | string {
  if (!item.hasBody || item.body === null) return Buffer.alloc(0);
  if (isJsonContentType(item.headers['content-type'])) return Buffer.from(JSON.stringify(item.body), 'utf8');
  if (typeof item.body !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(item.body.replace(/\s/g, ''))) {
    return `Request '${item.id}' has Content-Type '${item.headers['content-type']}': its body must be a base64 string.`;
  }
  return Buffer.from(item.body, 'base64');
}

function badRequest(message: string): SimResponse {
  return errorResponse(400, 'BadRequest', message);
}
