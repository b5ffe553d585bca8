import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, bearerToken, type TokenValidator } from './auth.js';
import { answerPreflight, isPreflight } from './cors.js';
import { dispatch, isGraphPath } from './dispatch.js';
import { faultAction } from './fault-action.js';
import type { FaultScripts } from './fault.js';
import { flattenHeaders, pause, readBody } from './http-util.js';
import { sendResponse, type ResponseIds } from './send-response.js';
import type { RouteTable } from './sim-request.js';
import { errorResponse, type SimResponse } from './sim-response.js';
import {
  enterFlight,
  leaveFlight,
  recordArrival,
  recordExecution,
  recordStatus,
  type RequestRecord,
  type SimulatorStats,
} from './stats.js';
import type { Throttle } from './throttle.js';

/** Everything one simulator instance knows; nothing lives at module level. */
export interface SimulatorState {
  stats: SimulatorStats;
  scripts: FaultScripts;
  throttle: Throttle | undefined;
  revoked: Set<string>;
  validateToken: TokenValidator;
  requireAuth: boolean;
  latencyMs: number;
  routes: RouteTable;
  /** Aborted by close(), so pending latencies end at once instead of holding the process open. */
  signal: AbortSignal;
  origin: string;
}

interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  method: string;
  url: URL;
  token: string | undefined;
  clientRequestId: string | undefined;
  record: RequestRecord;
  ids: ResponseIds;
}

export async function handleRequest(state: SimulatorState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  // Preflights are the browser's business, not the code under test's: no stats, faults or auth.
  if (isPreflight(request)) return answerPreflight(request, response);
  const url = requestUrl(request.url ?? '/', state.origin);
  const headers = flattenHeaders(request.headers);
  const method = (request.method ?? 'GET').toUpperCase();
  const clientRequestId = headers['client-request-id'] || undefined;
  const token = bearerToken(headers.authorization);
  const query = Object.fromEntries(url.searchParams);
  const record = recordArrival(state.stats, { method, path: url.pathname, query, headers, clientRequestId, token });
  const ids = { requestId: randomUUID(), clientRequestId: clientRequestId ?? randomUUID() };
  const exchange: Exchange = { request, response, method, url, token, clientRequestId, record, ids };

  enterFlight(state.stats);
  try {
    await run(state, exchange);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!response.headersSent && !response.destroyed) send(state, exchange, errorResponse(500, 'generalException', message));
  } finally {
    leaveFlight(state.stats);
  }
}

// The documented order: scripted fault, auth, throttle, latency, handler.
async function run(state: SimulatorState, exchange: Exchange): Promise<void> {
  let extraHeaders: Record<string, string> = {};
  const fault = state.scripts.take(exchange.method, exchange.url.pathname);
  if (fault) {
    await pause(fault.latencyMs, state.signal);
    const action = faultAction(fault);
    if (action.kind === 'pass') {
      extraHeaders = action.headers;
    } else {
      await pause(state.latencyMs, state.signal);
      if (state.signal.aborted) return;
      if (action.execute) await execute(state, exchange);
      if (action.kind === 'reset') {
        exchange.request.socket.resetAndDestroy();
        return;
      }
      return send(state, exchange, action.response);
    }
  }

  const denied = (await checkAuth(state, exchange)) ?? state.throttle?.admit(throttleKey(exchange));
  await pause(state.latencyMs, state.signal);
  if (state.signal.aborted) return;
  send(state, exchange, denied ?? (await execute(state, exchange)), extraHeaders);
}

// Origin-form (`/v1.0/me`) is the norm; absolute-form arrives when a client talks through a proxy.
function requestUrl(raw: string, origin: string): URL {
  try {
    return raw.startsWith('/') ? new URL(origin + raw) : new URL(raw);
  } catch {
    return new URL(origin + '/');
  }
}

function checkAuth(state: SimulatorState, exchange: Exchange): Promise<SimResponse | undefined> | undefined {
  if (!state.requireAuth || !isGraphPath(exchange.url.pathname)) return undefined;
  const { token, request } = exchange;
  return authenticate({ token, request, revoked: state.revoked, validate: state.validateToken });
}

function throttleKey(exchange: Exchange): string {
  return exchange.token ?? `ip:${exchange.request.socket.remoteAddress ?? 'unknown'}`;
}

async function execute(state: SimulatorState, exchange: Exchange): Promise<SimResponse> {
  recordExecution(state.stats, exchange.clientRequestId);
  const { request, method, url } = exchange;
  return dispatch(state.routes, {
    method,
    url,
    headers: exchange.record.headers,
    origin: request.headers.host ? `http://${request.headers.host}` : state.origin,
    caller: throttleKey(exchange),
    readBody: () => readBody(request),
  });
}

function send(state: SimulatorState, exchange: Exchange, result: SimResponse, extraHeaders?: Record<string, string>): void {
  recordStatus(state.stats, exchange.record, result.status);
  sendResponse(exchange.request, exchange.response, result, exchange.ids, extraHeaders);
}
