// Workload figures for the closing note and the README:
//  1. 1,000 GETs through con.batch versus one by one (sequential, and 4 at a time like batch's
//     default concurrency), at 20 ms simulated latency: HTTP round trips and wall time.
//  2. Peak RSS growth of the client while it uploads 256 MiB from an async iterable (the
//     simulator runs in another process, so only the client's memory is measured).
//   npm run bench:workloads        (BENCH_UPLOAD_MIB=256 BENCH_GETS=1000 to change the sample)
import { fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Connection, StaticTokenSession } from '@graphwire/core';
import { startGraphSimulator } from '@graphwire/testing';
import { handOff } from './runtime.mjs';

const GETS = Number(process.env.BENCH_GETS ?? 1000);
const UPLOAD_MIB = Number(process.env.BENCH_UPLOAD_MIB ?? 256);

async function batchVersusSingle() {
  const graph = await startGraphSimulator({ users: 100, latencyMs: 20 });
  const con = new Connection({ baseUrl: `${graph.url}/v1.0`, session: new StaticTokenSession('bench') });
  const urls = Array.from({ length: GETS }, (_, i) => `users/user-${(i % 100) + 1}`);
  const rows = [];
  const run = async (name, fn) => {
    graph.reset();
    const start = performance.now();
    const statuses = await fn();
    const wallMs = performance.now() - start;
    const ok = statuses.filter((s) => s === 200).length;
    rows.push({ name, roundTrips: graph.stats.requests, wallMs: Math.round(wallMs), ok });
  };
  await run('con.batch (20 per call, 4 calls at once)', async () =>
    (await con.batch(urls.map((url) => ({ method: 'GET', url })))).map((r) => r.status));
  await run('one by one, sequential', async () => {
    const out = [];
    for (const url of urls) out.push((await con.get(url)).status);
    return out;
  });
  await run('one by one, 4 at a time', async () => {
    const out = [];
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < urls.length) out.push((await con.get(urls[next++])).status);
    }));
    return out;
  });
  await con.close();
  await graph.close();
  return rows;
}

/** Each upload measurement in a fresh process, the simulator in another one. */
async function uploadMemory() {
  const simulator = fork(new URL('./simulator-process.mjs', import.meta.url));
  const { url } = await new Promise((resolve) => simulator.once('message', resolve));
  const rows = [];
  for (const kind of ['fetch-stream-slices', 'fetch-slices', 'graphwire-stream', 'graphwire-blob', 'graphwire-stream-live']) {
    const run = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(new URL('./upload-memory.mjs', import.meta.url)), kind, url, String(UPLOAD_MIB)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${kind}: ${run.stderr}`);
    rows.push(JSON.parse(run.stdout.trim().split('\n').at(-1)));
  }
  simulator.kill();
  return rows;
}

if (await handOff(import.meta.url)) process.exit(); // on an old Node, the run happens on Node 24

const batch = await batchVersusSingle();
console.log(`\n${GETS} GETs at 20 ms simulated latency (Node ${process.version})`);
console.table(batch);
const upload = await uploadMemory();
console.log(`\nUpload of ${UPLOAD_MIB} MiB in 10 MiB slices, each run in a fresh process, simulator in another one`);
console.table(upload);
console.log(JSON.stringify({ batch, upload }));
