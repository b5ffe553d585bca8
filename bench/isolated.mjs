// Scenarios that need a fresh process per client (3: peak RSS, 4: storm), graphwire's own
// checks (5: stampede, 6: requestsDelay) and the existing workloads (7: batch round trips).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLIENTS, STORM_CLIENTS, tokenOf } from './clients.mjs';
import { ask, start, startWorker } from './processes.mjs';

/** Scenario 3: each client in a fresh process: warm-up, then peak RSS growth over the run. */
export async function rssScenario({ origin, caFile, config }) {
  const out = {};
  for (const name of CLIENTS) {
    const worker = await startWorker(name, { origin, token: tokenOf('rss', name), caFile });
    await worker.run('warm', { n: config.rss.warm, concurrency: config.rss.concurrency });
    out[name] = await worker.run('rss', config.rss);
    worker.stop();
  }
  return out;
}

/**
 * Scenario 4: one client after another against the throttling listener, each in a fresh
 * process with a token (so a budget) of its own. 429s are counted by the stand-in.
 */
export async function stormScenario({ stormOrigin, caFile, config, serverStats }) {
  const out = {};
  for (const name of STORM_CLIENTS) {
    const token = tokenOf('storm', name);
    const worker = await startWorker(name, { origin: stormOrigin, token, caFile, storm: true });
    const result = await worker.run('storm', config.storm);
    worker.stop();
    const seen = (await serverStats())[token] ?? { requests: 0, throttled: 0 };
    out[name] = { ...result, requests: config.storm.n, sent: seen.requests, throttled: seen.throttled };
  }
  return out;
}

/** Scenarios 5 and 6, in a process that trusts the certificate. */
export async function graphwireChecks({ origin, caFile, serverStats }) {
  const { child } = await start('./graphwire-checks.mjs', [origin], { NODE_EXTRA_CA_CERTS: caFile });
  const reply = await ask(child, 'run');
  child.disconnect();
  if (!reply.ok) throw new Error(`graphwire checks: ${reply.error}`);
  // Requests that reached the stand-in with the session's bearer token.
  const stats = await serverStats();
  for (const s of reply.result.stampede) s.withBearer = stats[s.token]?.requests ?? 0;
  return reply.result;
}

/** Scenario 7: bench/workloads.mjs as it is (batch vs one by one, upload memory); its output passes through. */
export function workloads(config) {
  const script = fileURLToPath(new URL('./workloads.mjs', import.meta.url));
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...config.workloadsEnv }, stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => { text += chunk; });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`workloads.mjs exited with ${code}`));
      const lines = text.trimEnd().split('\n');
      // Its last line is the JSON of its figures; the tables before it are printed as they are.
      console.log(lines.slice(0, -1).join('\n'));
      resolve(JSON.parse(lines.at(-1)));
    });
  });
}
