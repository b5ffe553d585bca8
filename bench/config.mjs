// Sample sizes, from the environment. The full run takes about 3-4 minutes on 2 cores;
// BENCH_QUICK=1 about 1-1.5 minutes, most of it the fixed parts (storms ≥ 4 s each, workloads,
// process starts); its samples are smaller and its ratios noisier: watch the A/A row.
//   BENCH_N         sequential requests per client per latency round (c=1)
//   BENCH_ROUNDS    interleaved rounds of the latency and throughput scenarios
//   BENCH_C64_N     requests per client per throughput round (c=64)
//   BENCH_RSS_N     requests of the peak-RSS run (c=64), one fresh process per client
//   BENCH_ONLY      comma list of scenarios to run: latency,throughput,rss,storm,graphwire,workloads
const quick = process.env.BENCH_QUICK === '1';
const num = (name, full, fast) => Number(process.env[name] ?? (quick ? fast : full));

export const config = {
  quick,
  latency: { n: num('BENCH_N', 1500, 500) },
  rounds: num('BENCH_ROUNDS', 6, 3),
  throughput: { n: num('BENCH_C64_N', 3000, 1500), concurrency: 64 },
  // Warm-up per worker: JIT, and the 64 keep-alive connections (TLS handshakes) opened before measuring.
  warm: { sequential: quick ? 200 : 500, concurrent: quick ? 640 : 2000 },
  rss: { n: num('BENCH_RSS_N', 20_000, 2000), concurrency: 64, warm: 1000 },
  storm: { n: 1000, concurrency: 50, budget: 200 }, // budget: requests per token per sliding second, at the stand-in
  // workloads.mjs reads its own knobs; quick mode shrinks them unless they are set.
  workloadsEnv: quick ? { BENCH_GETS: process.env.BENCH_GETS ?? '200', BENCH_UPLOAD_MIB: process.env.BENCH_UPLOAD_MIB ?? '64' } : {},
  only: new Set((process.env.BENCH_ONLY ?? 'latency,throughput,rss,storm,graphwire,workloads').split(',').map((s) => s.trim())),
};
