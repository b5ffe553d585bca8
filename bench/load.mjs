// The request loops the scenarios are made of. Each measures in the process that runs it:
// wall time with performance.now(), this process's CPU with process.cpuUsage().

/** `n` requests, at most `concurrency` in flight; resolves to `{ failures, errors }`. */
export async function runConcurrent(fn, n, concurrency) {
  let next = 0;
  let failures = 0;
  const errors = new Map(); // message -> count, so a broken client explains itself
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next++ < n) {
      try {
        await fn();
      } catch (error) {
        failures++;
        const key = String(error?.message ?? error).slice(0, 120);
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
    }
  }));
  return { failures, errors: Object.fromEntries(errors) };
}

/** Scenario 1: `n` sequential requests; the median time of one, and CPU per request. */
export async function latency(fn, n) {
  const times = new Float64Array(n);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times[i] = performance.now() - t0;
  }
  const { user, system } = process.cpuUsage(cpu0);
  times.sort();
  return { medianUs: times[n >> 1] * 1000, p90Us: times[Math.floor(n * 0.9)] * 1000, cpuUsPerReq: (user + system) / n };
}

/** Scenario 2: `n` requests from `concurrency` loops; requests per second and CPU per request. */
export async function throughput(fn, n, concurrency) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { failures } = await runConcurrent(fn, n, concurrency);
  const seconds = (performance.now() - t0) / 1000;
  const { user, system } = process.cpuUsage(cpu0);
  if (failures) throw new Error(`${failures} of ${n} requests failed`);
  return { reqPerSec: n / seconds, cpuUsPerReq: (user + system) / n };
}

/**
 * Scenario 3 (in a fresh process): `n` requests at `concurrency` after a warm-up; the peak RSS
 * seen by a 10 ms sampler minus the RSS right after the warm-up, in MiB.
 */
export async function peakRssGrowth(fn, n, concurrency) {
  const MiB = 1024 * 1024;
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 10);
  const { failures } = await runConcurrent(fn, n, concurrency);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  if (failures) throw new Error(`${failures} of ${n} requests failed`);
  return { baselineMiB: baseline / MiB, peakMiB: peak / MiB, growthMiB: (peak - baseline) / MiB };
}

/** Scenario 4: `n` requests at `concurrency` against the throttling endpoint; failures and wall time. */
export async function storm(fn, n, concurrency) {
  const t0 = performance.now();
  const { failures, errors } = await runConcurrent(fn, n, concurrency);
  return { failures, errors, wallMs: performance.now() - t0 };
}
