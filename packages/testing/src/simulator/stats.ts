/** One request as the simulator received it. `status` is filled in when the response is sent. */
export interface RequestRecord {
  /** HTTP method, upper-cased, e.g. `GET`. */
  method: string;
  /** Path without the query string, e.g. `/v1.0/users`. */
  path: string;
  /** Decoded query parameters (the last value wins when a name repeats). */
  query: Record<string, string>;
  /** Status sent; 0 until the response is written, and for connection resets. */
  status: number;
  /** Epoch ms when the request arrived. */
  time: number;
  /** The request's `client-request-id` header; absent when it sent none. */
  clientRequestId?: string;
  /** True when the request carried a non-empty Bearer token. */
  authorized: boolean;
  /** The Bearer token it carried, if any (whether or not it was accepted). */
  token?: string;
  /** Request headers, lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
}

/** One item of a `$batch` as the simulator received it. `status` is filled in when the item is answered. */
export interface SubRequestRecord {
  /** Index of its `$batch` among `stats.batches` (0 for the first batch since the last reset). */
  batch: number;
  /** The item's `id`, as sent; the same id twice means the client re-sent the item. */
  id: string;
  /** The item's `method`, upper-cased. */
  method: string;
  /** The item's `url`, as sent (relative to the version). */
  url: string;
  /** Status of the item's response; 0 until answered. */
  status: number;
  /** The item's own headers, lower-cased: an `authorization` here is a client leaking its token. */
  headers: Record<string, string>;
}

/**
 * What a simulator has seen since it started or was last reset: {@link GraphSimulator.stats}. Live
 * (updated as requests arrive) and cleared in place by `reset()`. CORS preflights are not counted.
 */
export interface SimulatorStats {
  /** HTTP requests received, faulted ones included; a `$batch` counts once, however many items it holds. */
  requests: number;
  /** Requests by `'METHOD /path'` (path without the query string), e.g. `'GET /v1.0/me'` → 2. */
  byRoute: Record<string, number>;
  /** HTTP 429 responses sent, by the throttle or by scripted faults (429 `$batch` items are not counted). */
  throttled: number;
  /** Distinct Bearer tokens received, in order of first sight. */
  tokensSeen: string[];
  /** Requests that carried any `Authorization` header, well-formed or not. */
  authorizationHeaders: number;
  /**
   * `client-request-id` → times a request with it was actually executed (not faulted, throttled
   * or refused): a duplicated POST shows as 2. A `$batch` item counts under the
   * `client-request-id` of its own `headers`, if it has one. Requests without the header are not counted.
   */
  executions: Record<string, number>;
  /** `client-request-id` → times a request with it arrived. Requests without the header are not counted. */
  attempts: Record<string, number>;
  /** Requests being handled right now, latency included. */
  inFlight: number;
  /** The most requests in flight at once; after `reset()` it restarts from the current `inFlight`. */
  maxInFlight: number;
  /** One record per HTTP request, in order of arrival. */
  log: RequestRecord[];
  /** `$batch` requests that reached the batch handler (a faulted, throttled or refused one did not); invalid ones (400) count too. */
  batches: number;
  /** Items received in those batches. */
  subRequests: number;
  /** One record per `$batch` item received, in order of arrival. */
  subRequestLog: SubRequestRecord[];
  /** Upload sessions created by `createUploadSession`. */
  uploadSessions: number;
  /** Upload fragments committed (appended) to a session; refused, faulted or reset-before-commit ones are not. */
  uploadFragments: number;
}

export function createStats(): SimulatorStats {
  return {
    requests: 0,
    byRoute: {},
    throttled: 0,
    tokensSeen: [],
    authorizationHeaders: 0,
    executions: {},
    attempts: {},
    inFlight: 0,
    maxInFlight: 0,
    log: [],
    batches: 0,
    subRequests: 0,
    subRequestLog: [],
    uploadSessions: 0,
    uploadFragments: 0,
  };
}

/**
 * Clears in place, so a reference a test took before `reset()` stays live. `inFlight` is a
 * measurement of requests still being handled, so it survives; the maximum restarts from it.
 */
export function clearStats(stats: SimulatorStats): void {
  stats.requests = 0;
  stats.throttled = 0;
  stats.authorizationHeaders = 0;
  stats.maxInFlight = stats.inFlight;
  for (const map of [stats.byRoute, stats.executions, stats.attempts]) {
    for (const key of Object.keys(map)) delete map[key];
  }
  stats.tokensSeen.length = 0;
  stats.log.length = 0;
  stats.batches = 0;
  stats.subRequests = 0;
  stats.subRequestLog.length = 0;
  stats.uploadSessions = 0;
  stats.uploadFragments = 0;
}

export interface Arrival {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  clientRequestId?: string;
  token?: string;
}

export function recordArrival(stats: SimulatorStats, arrival: Arrival): RequestRecord {
  const route = `${arrival.method} ${arrival.path}`;
  stats.requests++;
  stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
  if (arrival.headers.authorization !== undefined) stats.authorizationHeaders++;
  if (arrival.token !== undefined && !stats.tokensSeen.includes(arrival.token)) stats.tokensSeen.push(arrival.token);
  if (arrival.clientRequestId !== undefined) {
    stats.attempts[arrival.clientRequestId] = (stats.attempts[arrival.clientRequestId] ?? 0) + 1;
  }
  const record: RequestRecord = {
    method: arrival.method,
    path: arrival.path,
    query: arrival.query,
    status: 0,
    time: Date.now(),
    authorized: arrival.token !== undefined,
    headers: arrival.headers,
  };
  if (arrival.clientRequestId !== undefined) record.clientRequestId = arrival.clientRequestId;
  if (arrival.token !== undefined) record.token = arrival.token;
  stats.log.push(record);
  return record;
}

export function recordExecution(stats: SimulatorStats, clientRequestId: string | undefined): void {
  if (clientRequestId === undefined) return;
  stats.executions[clientRequestId] = (stats.executions[clientRequestId] ?? 0) + 1;
}

export function recordStatus(stats: SimulatorStats, record: RequestRecord, status: number): void {
  record.status = status;
  if (status === 429) stats.throttled++;
}

export function enterFlight(stats: SimulatorStats): void {
  stats.inFlight++;
  if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
}

export function leaveFlight(stats: SimulatorStats): void {
  stats.inFlight--;
}
