// Scenarios 1 (latency, c=1) and 2 (throughput, c=64): every client in a long-lived process of
// its own, all alive at once but only one measuring at a time, in round-robin rounds so drift of
// the machine affects every client alike. The order rotates each round and runs backwards every
// other round, so no client always follows the same one (and inherits, say, the server's GC).
// Why a process per client rather than one shared process: process.cpuUsage() then counts one
// client's work and GC only, a client never pays for another's garbage or heap growth, and the
// JIT stays warm across rounds. Why not a fresh process per (client, round): it would pay a
// process start, TLS handshakes and a JIT warm-up every round, and measure a half-warm client.
import { CLIENTS, tokenOf } from './clients.mjs';
import { startWorker } from './processes.mjs';
import { median } from './report.mjs';

/** Starts and warms one worker per client; checks the stand-in saw each client's bearer token. */
export async function startClients({ origin, caFile, config, serverStats }) {
  const workers = [];
  for (const name of CLIENTS) workers.push(await startWorker(name, { origin, token: tokenOf('bench', name), caFile }));
  for (const w of workers) {
    await w.run('warm', { n: config.warm.sequential, concurrency: 1 });
    await w.run('warm', { n: config.warm.concurrent, concurrency: config.throughput.concurrency });
  }
  const stats = await serverStats();
  const sanity = workers.map(({ name, token }) => ({ client: name, token, ...stats[token] }));
  const missing = sanity.filter((s) => !s.requests);
  if (missing.length || stats['(no bearer)']) {
    throw new Error(`the stand-in saw no 'authorization: Bearer <token>' from ${missing.map((s) => s.client).join(', ') || 'some requests'}`);
  }
  const unsigned = sanity.filter((s) => ['graph-client', 'graphwire'].includes(s.client) && !s.sdkVersion);
  if (unsigned.length) throw new Error(`no SdkVersion header from ${unsigned.map((s) => s.client).join(', ')}`);
  return { workers, sanity };
}

/** Stops the workers; records the connections each opened while measuring (every TLS handshake belongs in the warm-up). */
export async function stopClients({ workers, sanity }, serverStats) {
  const stats = await serverStats();
  for (const s of sanity) s.connectionsWhileMeasuring = stats[s.token].connections - s.connections;
  for (const w of workers) w.stop();
}

/** Runs `cmd` on every worker for `rounds` rounds; per client: the results of each round. */
async function rounds(workers, rounds, cmd, options) {
  const perClient = Object.fromEntries(workers.map((w) => [w.name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = workers.map((_, i) => workers[(r + i) % workers.length]);
    if (r % 2) order.reverse();
    for (const w of order) perClient[w.name].push(await w.run(cmd, options));
  }
  return perClient;
}

/**
 * Per client, per metric: the median over rounds, and the median of the per-round ratios to raw
 * fetch A (paired by round, so a slow round slows the baseline too).
 */
function summarise(perClient, metrics) {
  const base = perClient['raw fetch A'];
  return Object.fromEntries(Object.entries(perClient).map(([name, rs]) => {
    const out = { rounds: rs };
    for (const m of metrics) {
      const values = rs.map((r) => r[m]);
      out[m] = median(values);
      out[`${m}Min`] = Math.min(...values);
      out[`${m}Max`] = Math.max(...values);
      out[`${m}Ratio`] = median(rs.map((r, i) => r[m] / base[i][m]));
    }
    return [name, out];
  }));
}

export async function latencyScenario(workers, config) {
  return summarise(await rounds(workers, config.rounds, 'latency', config.latency), ['medianUs', 'p90Us', 'cpuUsPerReq']);
}

export async function throughputScenario(workers, config) {
  return summarise(await rounds(workers, config.rounds, 'throughput', config.throughput), ['reqPerSec', 'cpuUsPerReq']);
}
