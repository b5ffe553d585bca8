// Tables for the terminal, the Markdown summary, and bench/results/latest.{json,md}.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const int = (x) => (x === undefined ? '—' : Math.round(x).toLocaleString('en-US'));
const ratio = (x) => (x === undefined ? '—' : `${x.toFixed(2)}×`);
const mib = (x) => (x === undefined ? '—' : `${x.toFixed(1)} MiB`);

/** An aligned text table: first column left, the others right. */
function textTable(title, head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  return [`\n${title}`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const markdownTable = (head, rows) => [head, head.map((_, i) => (i ? '---:' : ':---')), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');

export function machine() {
  // The commit measured (read-only rev-parse; the working tree may hold uncommitted changes).
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout?.trim() || undefined;
  return { commit, node: process.version, platform: `${process.platform} ${process.arch}`, cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), date: new Date().toISOString() };
}

/** One text table per scenario that ran. */
export function scenarioTables(r, config) {
  const out = [];
  if (r.sanity) out.push(textTable('Sanity: what the stand-in saw from each client, counted by its own bearer token (each had one)', ['client', 'warm-up requests', 'sdkversion', 'client-request-id', 'connections', 'new while measuring'],
    r.sanity.map((s) => [s.client, int(s.requests), s.sdkVersion ?? '(none)', s.clientRequestId ? 'yes' : 'no', s.connections, s.connectionsWhileMeasuring ?? '—'])));
  if (r.latency) out.push(textTable(`1. Latency, c=1: ${config.latency.n} sequential GET /me per round, ${config.rounds} rounds (median of round medians; × = median of per-round ratios)`,
    ['client', 'median µs', '× raw A', 'round medians µs', 'p90 µs', 'CPU µs/req', 'CPU × raw A'],
    Object.entries(r.latency).map(([n, s]) => [n, int(s.medianUs), ratio(s.medianUsRatio), `${int(s.medianUsMin)}–${int(s.medianUsMax)}`, int(s.p90Us), int(s.cpuUsPerReq), ratio(s.cpuUsPerReqRatio)])));
  if (r.throughput) out.push(textTable(`2. Throughput, c=${config.throughput.concurrency}: ${config.throughput.n} GET /me per round, ${config.rounds} rounds (client CPU = its process only)`,
    ['client', 'req/s', '× raw A', 'round req/s', 'CPU µs/req', 'CPU × raw A'],
    Object.entries(r.throughput).map(([n, s]) => [n, int(s.reqPerSec), ratio(s.reqPerSecRatio), `${int(s.reqPerSecMin)}–${int(s.reqPerSecMax)}`, int(s.cpuUsPerReq), ratio(s.cpuUsPerReqRatio)])));
  if (r.rss) out.push(textTable(`3. Peak RSS growth: ${config.rss.n} GET /me at c=${config.rss.concurrency}, fresh process per client, after ${config.rss.warm} warm-up requests`,
    ['client', 'RSS after warm-up', 'peak RSS', 'growth', '× raw A'],
    Object.entries(r.rss).map(([n, s]) => [n, mib(s.baselineMiB), mib(s.peakMiB), mib(s.growthMiB), ratio(s.growthMiB / r.rss['raw fetch A'].growthMiB)])));
  if (r.storm) out.push(textTable(`4. Storm: ${config.storm.n} GET /me at c=${config.storm.concurrency}, budget ${config.storm.budget}/s per token (sliding 1 s), 429 + Retry-After: 1 beyond; floor ≈ ${Math.ceil(config.storm.n / config.storm.budget) - 1} s`,
    ['client', 'failures', '429s', 'requests sent', 'wall s', 'first error'],
    Object.entries(r.storm).map(([n, s]) => [n, int(s.failures), int(s.throttled), int(s.sent), (s.wallMs / 1000).toFixed(2), Object.keys(s.errors)[0] ?? ''])));
  if (r.graphwire) {
    const st = r.graphwire.stampede[0];
    out.push(textTable(`5. Stampede (graphwire): ${int(st.requests)} concurrent GETs, token acquisition takes ${st.tokenDelayMs} ms; must be exactly 1`,
      ['token cache at start', 'acquisitions', 'failures', 'seen with its bearer', 'verdict'],
      r.graphwire.stampede.map((s) => [s.cache, s.acquisitions, s.failures, int(s.withBearer), s.acquisitions === 1 && !s.failures ? 'ok' : 'FAIL'])));
    const d = r.graphwire.requestsDelay;
    out.push(textTable(`6. requestsDelay at the wire (graphwire): requestsDelay ${d.requestsDelayMs}, first token takes ${d.tokenDelayMs} ms, ${d.requests} requests at once`,
      ['handed to fetch at (ms)', 'gaps (ms)', 'min gap', 'verdict'],
      [[d.atMs.map(int).join(', '), d.gapsMs.map(int).join(', '), `${int(d.minGapMs)} ms`, d.minGapMs >= d.requestsDelayMs - 1 ? 'ok' : `FAIL (< ${d.requestsDelayMs} ms)`]]));
  }
  return out.join('\n');
}

/** The ready-to-paste summary: one row per client. */
export function summaryMarkdown(r) {
  const rows = (r.latency ? Object.keys(r.latency) : Object.keys(r.throughput ?? r.rss ?? {})).map((n) => {
    const st = r.storm?.[n];
    const tp = r.throughput?.[n];
    return [n, ratio(r.latency?.[n]?.medianUsRatio), ratio(tp?.reqPerSecRatio), tp ? `${int(tp.cpuUsPerReq)} (${ratio(tp.cpuUsPerReqRatio)})` : '—',
      mib(r.rss?.[n]?.growthMiB), st ? `${int(st.throttled)} / ${(st.wallMs / 1000).toFixed(1)} s / ${st.failures}` : '—'];
  });
  const m = r.machine;
  return [`GET /me over https on loopback, stand-in server in its own process; Node ${m.node}, ${m.cpu} (${m.cores} cores), ${m.date.slice(0, 10)}. Ratios are to \`raw fetch A\`; \`raw fetch B\` is the same client again (the noise).`, '',
    markdownTable(['client', 'c=1 median × raw', 'c=64 req/s × raw', 'CPU µs/req (× raw)', 'peak RSS Δ', 'storm 429s / wall / failures'], rows)].join('\n');
}

/** latest.{json,md}, or latest-quick.* for a BENCH_QUICK run, so a quick look never replaces a full run. */
export function writeResults(results, markdown, quick) {
  const dir = new URL('./results/', import.meta.url);
  const name = quick ? 'latest-quick' : 'latest';
  mkdirSync(dir, { recursive: true });
  // The bench's made-up bearer tokens stay in this run: the figures are what is kept.
  writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify(results, (key, value) => (key === 'token' ? undefined : value), 2)}\n`);
  writeFileSync(new URL(`${name}.md`, dir), `${markdown}\n`);
  return `${dir.pathname}${name}.{json,md}`;
}
