/** One request as the simulator received it. `status` is filled in when the response is sent. */
export interface RequestRecord {
  method: string;
  /** Path without the query string, e.g. `/v1.0/users`. */
  path: string;
  /** Decoded query parameters (the last value wins when a name repeats). */
  query: Record<string, string>;
  /** Status sent; 0 until the response is written, and for connection resets. */
  status: number;
  /** Epoch ms when the request arrived. */
  time: number;
  clientRequestId?: string;
  /** True when the request carried a non-empty Bearer token. */
  authorized: boolean;
  token?: string;
  /** Request headers, lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
}

/** One item of a `$batch` as the simulator received it. `status` is filled in when the item is answered. */
export interface SubRequestRecord {
  /** Index of its `$batch` among `stats.batches` (0 for the first batch since the last reset). */
  batch: number;
  id: string;
  method: string;
  /** The item's `url`, as sent (relative to the version). */
  url: string;
  /** Status of the item's response; 0 until answered. */
  status: number;
  /** The item's own headers, lower-cased: an `authorization` here is a client leaking its token. */
  headers: Record<string, string>;
}

export interface SimulatorStats {
  /** HTTP requests: a `$batch` counts once, however many items it holds. */
  requests: number;
  byRoute: Record<string, number>;
  throttled: number;
  tokensSeen: string[];
  authorizationHeaders: number;
  executions: Record<string, number>;
  attempts: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
  log: RequestRecord[];
  /** `$batch` requests that reached the batch handler (a faulted, throttled or refused one did not). */
  batches: number;
  /** Items received in those batches. */
  subRequests: number;
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
