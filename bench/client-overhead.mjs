// graphwire's own CPU per request, without a network: the Connection gets an injected fetch that
// answers at once, so what is left is graphwire + ky. For profiling (`node --cpu-prof
// bench/client-overhead.mjs`), not a figure to compare with other clients (they make real requests
// in `npm run bench`).   node bench/client-overhead.mjs        (BENCH_N=30000 to change the sample)
import { Connection, StaticTokenSession } from '@graphwire/core';
import { throughput } from './load.mjs';
import { median } from './report.mjs';
import { handOff } from './runtime.mjs';

if (await handOff(import.meta.url)) process.exit(); // on an old Node, measured on Node 24 (BENCH_NODE)

const N = Number(process.env.BENCH_N ?? 30_000);
const C = 64;
const body = JSON.stringify({ id: 'user-1', displayName: 'User 1', userPrincipalName: 'user1@contoso.test' });
const answer = async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
const con = new Connection({ session: new StaticTokenSession('bench-token'), fetch: answer });

const get = () => con.get('me').json();

await throughput(get, 5_000, C); // warm-up
for (const concurrency of [1, C]) {
  const rounds = [];
  for (let round = 0; round < 5; round++) rounds.push((await throughput(get, N, concurrency)).cpuUsPerReq);
  console.log(`c=${concurrency}: ${median(rounds).toFixed(1)} µs CPU per request (median of 5 rounds of ${N})`);
}
