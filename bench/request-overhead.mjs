// Per-request cost of a GET returning small JSON, against a local server in another process:
// wall time and client CPU per request, as ratios to raw fetch in the same run.
//   npm run bench            (BENCH_N=3000 BENCH_ROUNDS=5 to change the sample)
import { fork } from 'node:child_process';
import ky from 'ky';
import { Client } from '@microsoft/microsoft-graph-client';
import { Connection, StaticTokenSession } from '@graphwire/core';

const N = Number(process.env.BENCH_N ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const server = fork(new URL('./server.mjs', import.meta.url));
const { port } = await new Promise((resolve) => server.once('message', resolve));
const base = `http://127.0.0.1:${port}/v1.0`;
const headers = { authorization: 'Bearer bench-token' };

const con = new Connection({ baseUrl: base, session: new StaticTokenSession('bench-token') });
const kyClient = ky.create({ baseUrl: `${base}/`, headers });
const msClient = Client.init({
  baseUrl: `http://127.0.0.1:${port}`, defaultVersion: 'v1.0',
  authProvider: (done) => done(null, 'bench-token'),
});

const clients = {
  'raw fetch': async () => (await fetch(`${base}/me`, { headers })).json(),
  ky: () => kyClient.get('me').json(),
  '@microsoft/microsoft-graph-client': () => msClient.api('/me').get(),
  graphwire: () => con.get('me').json(),
};

async function measure(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn();
  const wall = (performance.now() - t0) / N;
  const { user, system } = process.cpuUsage(cpu0);
  return { wall: wall * 1000, cpu: (user + system) / N };
}

for (const fn of Object.values(clients)) for (let i = 0; i < 200; i++) await fn(); // warm up
const results = Object.fromEntries(Object.keys(clients).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(clients)) results[name].push(await measure(fn));
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = Object.fromEntries(Object.entries(results).map(([k, rs]) => [k, { wall: median(rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)) }]));
const raw = summary['raw fetch'];
console.log(`GET /me, ${N} sequential requests x ${ROUNDS} rounds (median), Node ${process.version}`);
console.log('client                              µs/req  x raw   CPU µs/req  x raw');
for (const [name, { wall, cpu }] of Object.entries(summary)) {
  console.log(`${name.padEnd(34)} ${wall.toFixed(0).padStart(7)} ${(wall / raw.wall).toFixed(2).padStart(6)} ${cpu.toFixed(0).padStart(11)} ${(cpu / raw.cpu).toFixed(2).padStart(6)}`);
}
await con.close();
server.disconnect();
