// Workload figures for the closing note and the README:
//  1. 1,000 GETs through con.batch versus one by one (sequential, and 4 at a time like batch's
//     default concurrency), at 20 ms simulated latency: HTTP round trips and wall time.
//  2. Peak RSS growth of the client while it uploads 256 MiB from an async iterable (the
//     simulator runs in another process, so only the client's memory is measured).
//   npm run bench:workloads        (BENCH_UPLOAD_MIB=256 BENCH_GETS=1000 to change the sample)
import { fork } from 'node:child_process';
import { Connection, StaticTokenSession } from '@graphwire/core';
import { startGraphSimulator } from '@graphwire/testing';

const GETS = Number(process.env.BENCH_GETS ?? 1000);
const UPLOAD_MIB = Number(process.env.BENCH_UPLOAD_MIB ?? 256);
const MiB = 1024 * 1024;

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

async function* generated(size) {
  const chunk = new Uint8Array(64 * 1024).map((_, i) => i % 251);
  for (let sent = 0; sent < size; sent += chunk.length) yield chunk.slice(0, Math.min(chunk.length, size - sent));
}

async function uploadMemory() {
  const child = fork(new URL('./simulator-process.mjs', import.meta.url));
  const { url } = await new Promise((resolve) => child.once('message', resolve));
  const con = new Connection({ baseUrl: `${url}/v1.0`, session: new StaticTokenSession('bench') });
  const size = UPLOAD_MIB * MiB;
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 2);
  const start = performance.now();
  const item = await con.upload('me/drive/root:/bench/upload.bin:', generated(size), { size });
  const wallMs = performance.now() - start;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await con.close();
  child.kill();
  if (item.size !== size) throw new Error(`uploaded ${item.size} bytes, expected ${size}`);
  return { sizeMiB: UPLOAD_MIB, peakRssGrowthMiB: Math.round((peak - before) / MiB), wallMs: Math.round(wallMs), MiBps: Math.round(UPLOAD_MIB / (wallMs / 1000)) };
}

const batch = await batchVersusSingle();
console.log(`\n${GETS} GETs at 20 ms simulated latency (Node ${process.version})`);
console.table(batch);
const upload = await uploadMemory();
console.log(`\nUpload of ${UPLOAD_MIB} MiB from an async iterable (10 MiB slices), simulator in another process`);
console.table([upload]);
console.log(JSON.stringify({ batch, upload }));
