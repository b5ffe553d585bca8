// A minimal Graph stand-in over https, in its own process so each client's CPU is measured alone.
//   node bench/graph-stand-in.mjs <cert.pem> <key.pem> <storm budget>   (forked by run.mjs; talks over IPC)
// Two listeners: `port` answers GET /v1.0/me at once; `stormPort` does the same under a budget of
// <storm budget> requests per token over a sliding 1 s window, beyond it 429 + Retry-After: 1 (a
// rejected request does not spend budget). Per bearer token it counts requests, 429s and which
// of the headers the clients are meant to send were present: the bench's sanity check.
import https from 'node:https';
import { readFileSync } from 'node:fs';

const WINDOW_MS = 1000;
const [certFile, keyFile, budget] = process.argv.slice(2);
const STORM_BUDGET = Number(budget);
const tls = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
const me = JSON.stringify({ id: 'user-1', displayName: 'User 1', userPrincipalName: 'user1@contoso.test' });
const stats = new Map(); // token -> { requests, throttled, sdkVersion, clientRequestId }
const windows = new Map(); // token -> { times: number[], head: number } accepted request times
let requestIds = 0;
const sockets = new WeakSet(); // connections already counted for the token that first used them

function record(req) {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '(no bearer)';
  let entry = stats.get(token);
  if (!entry) stats.set(token, entry = { requests: 0, throttled: 0, connections: 0, sdkVersion: undefined, clientRequestId: false });
  entry.requests++;
  if (!sockets.has(req.socket)) {
    sockets.add(req.socket);
    entry.connections++; // a new keep-alive connection, so a TLS handshake: a measurement should open none
  }
  entry.sdkVersion ??= req.headers.sdkversion;
  entry.clientRequestId ||= req.headers['client-request-id'] !== undefined;
  return { token, entry };
}

function answer(req, res) {
  const requestId = `r-${++requestIds}`;
  if (req.method !== 'GET' || req.url !== '/v1.0/me') {
    res.writeHead(404, { 'content-type': 'application/json', 'request-id': requestId });
    return res.end(JSON.stringify({ error: { code: 'ResourceNotFound', message: `${req.method} ${req.url}` } }));
  }
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
  res.end(me);
}

/** True when `token` may spend one request now; spends it. */
function spend(token) {
  const now = performance.now();
  let w = windows.get(token);
  if (!w) windows.set(token, w = { times: [], head: 0 });
  while (w.head < w.times.length && w.times[w.head] <= now - WINDOW_MS) w.head++;
  if (w.head > 4096) {
    w.times = w.times.slice(w.head);
    w.head = 0;
  }
  if (w.times.length - w.head >= STORM_BUDGET) return false;
  w.times.push(now);
  return true;
}

function listen(handler) {
  const server = https.createServer({ ...tls, keepAlive: true }, handler);
  // Sent as `Keep-Alive: timeout=120`, which undici honours: a worker idle while the others take
  // their turn keeps its connections (undici's own default would close them after 4 s).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  return new Promise((resolve) => server.listen(0, 'localhost', () => resolve(server.address().port)));
}

const port = await listen((req, res) => { record(req); answer(req, res); });
const stormPort = await listen((req, res) => {
  const { token, entry } = record(req);
  if (spend(token)) return answer(req, res);
  entry.throttled++;
  const date = new Date().toUTCString();
  const requestId = `r-${++requestIds}`;
  res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1', 'request-id': requestId });
  res.end(JSON.stringify({ error: {
    code: 'TooManyRequests', message: 'Too many requests: the application is being throttled.',
    innerError: { date, 'request-id': requestId, 'client-request-id': req.headers['client-request-id'] ?? '' },
  } }));
});

process.on('message', (message) => {
  if (message === 'stats') process.send({ stats: Object.fromEntries(stats) });
});
process.on('disconnect', () => process.exit(0));
process.send({ port, stormPort });
