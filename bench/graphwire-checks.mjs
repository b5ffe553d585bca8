// graphwire-only checks, in a process started with NODE_EXTRA_CA_CERTS (forked by run.mjs):
//   5. stampede: 1,000 concurrent requests while the Connection holds no usable token must
//      cause exactly one token acquisition (single flight), from an empty cache and an expired one;
//   6. requestsDelay at the wire: with requestsDelay 100 and a first token that takes 150 ms,
//      5 requests fired at once must reach fetch at least 100 ms apart.
// Prints nothing; replies { stampede, requestsDelay } over IPC.
import { Connection } from '@graphwire/core';

const [origin] = process.argv.slice(2);
const baseUrl = `${origin}/v1.0`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An AuthSession that counts acquisitions; each takes `delayMs` and yields `nextExpiresIn` (ms). */
class CountingSession {
  calls = 0;
  nextExpiresIn = 3_600_000;
  constructor(token, delayMs) { this.token = token; this.delayMs = delayMs; }
  async getAccessToken() {
    this.calls++;
    await sleep(this.delayMs);
    return { token: this.token, expiresOn: Date.now() + this.nextExpiresIn };
  }
}

async function stampede(cache, n = 1000, tokenDelayMs = 50) {
  const session = new CountingSession(`stampede-${cache}`, tokenDelayMs);
  const con = new Connection({ baseUrl, session });
  if (cache === 'expired') {
    // One token that is expired when the stampede starts, already held by the Connection.
    session.nextExpiresIn = -60_000;
    await con.getAccessToken();
    session.calls = 0;
    session.nextExpiresIn = 3_600_000;
  }
  const t0 = performance.now();
  const results = await Promise.allSettled(Array.from({ length: n }, () => con.get('me').json()));
  const wallMs = performance.now() - t0;
  await con.close();
  const failures = results.filter((r) => r.status === 'rejected');
  return { cache, token: session.token, tokenDelayMs, requests: n, acquisitions: session.calls, failures: failures.length, wallMs, firstError: failures[0] && String(failures[0].reason) };
}

async function requestsDelay(n = 5, delay = 100, tokenDelayMs = 150) {
  const handedToFetch = [];
  const session = new CountingSession('requests-delay', tokenDelayMs);
  const con = new Connection({
    baseUrl, session, requestsDelay: delay,
    fetch: (input, init) => { handedToFetch.push(performance.now()); return globalThis.fetch(input, init); },
  });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => con.get('me').json()));
  await con.close();
  const gaps = handedToFetch.slice(1).map((t, i) => t - handedToFetch[i]);
  return { requests: n, requestsDelayMs: delay, tokenDelayMs, atMs: handedToFetch.map((t) => t - t0), gapsMs: gaps, minGapMs: Math.min(...gaps) };
}

process.once('message', async () => {
  try {
    const result = { stampede: [await stampede('empty'), await stampede('expired')], requestsDelay: await requestsDelay() };
    process.send({ ok: true, result });
  } catch (error) {
    process.send({ ok: false, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
