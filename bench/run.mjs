// The project's yardstick: `npm run bench` (builds first). GET /me over https on loopback from
// raw fetch (twice: the A/A control), ky, Microsoft's graph-client and graphwire; see
// config.mjs for the knobs (BENCH_QUICK=1 for a one-minute run), results in bench/results/.
// On Node < 22 it hands itself to Node 24 (runtime.mjs; BENCH_NODE=current to stay).
// This process only orchestrates: the stand-in server and every client run in child processes.
import { handOff } from './runtime.mjs';
import { config } from './config.mjs';
import { writeTestCertificate, HOST } from './certificate.mjs';
import { latencyScenario, startClients, stopClients, throughputScenario } from './interleaved.mjs';
import { graphwireChecks, rssScenario, stormScenario, workloads } from './isolated.mjs';
import { ask, start } from './processes.mjs';
import { machine, scenarioTables, summaryMarkdown, writeResults } from './report.mjs';

if (await handOff(import.meta.url)) process.exit();

const { certFile, keyFile, caFile, dispose } = await writeTestCertificate();
const { child: server, first: { port, stormPort } } = await start('./graph-stand-in.mjs', [certFile, keyFile, String(config.storm.budget)]);
const origin = `https://${HOST}:${port}`;
const ctx = { origin, stormOrigin: `https://${HOST}:${stormPort}`, caFile, config, serverStats: async () => (await ask(server, 'stats')).stats };
const results = { machine: machine(), config: { ...config, only: [...config.only] } };
const began = performance.now();
const step = (what) => console.log(`[${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${what}`);

try {
  const { only } = config;
  if (only.has('latency') || only.has('throughput')) {
    step('starting and warming one process per client');
    const clients = await startClients(ctx);
    const { workers } = clients;
    results.sanity = clients.sanity;
    if (only.has('latency')) { step('1. latency c=1'); results.latency = await latencyScenario(workers, config); }
    if (only.has('throughput')) { step('2. throughput c=64'); results.throughput = await throughputScenario(workers, config); }
    await stopClients(clients, ctx.serverStats);
  }
  if (only.has('rss')) { step('3. peak RSS, a fresh process per client'); results.rss = await rssScenario(ctx); }
  if (only.has('storm')) { step('4. storm, one client after another'); results.storm = await stormScenario(ctx); }
  if (only.has('graphwire')) { step('5-6. graphwire stampede and requestsDelay'); results.graphwire = await graphwireChecks(ctx); }
  console.log(scenarioTables(results, config));
  if (only.has('workloads')) { step('7. workloads (bench/workloads.mjs)'); results.workloads = await workloads(config); }
  step('done');
  const markdown = summaryMarkdown(results);
  console.log(`\nSummary (Markdown)\n\n${markdown}\n`);
  console.log(`Written to ${writeResults(results, markdown, config.quick)}`);
} finally {
  server.disconnect();
  dispose();
}
