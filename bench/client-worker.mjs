// One client in a process of its own, driven over IPC by run.mjs:
//   fork('client-worker.mjs', [name, origin, token, 'storm'?], { env: { NODE_EXTRA_CA_CERTS } })
// Commands ({ cmd, n, concurrency }): warm, latency, throughput, rss, storm; each reply is
// { ok: true, result } or { ok: false, error }. The process lives until run.mjs disconnects.
import { createClient } from './clients.mjs';
import { latency, peakRssGrowth, runConcurrent, storm, throughput } from './load.mjs';

const [name, origin, token, mode] = process.argv.slice(2);
const fn = await createClient(name, { origin, token, storm: mode === 'storm' });

/** A response that is not the user's JSON counts as a failed request, whatever the library says. */
async function getMe() {
  const me = await fn();
  if (me?.id !== 'user-1') throw new Error(`unexpected body ${JSON.stringify(me).slice(0, 80)}`);
}

const commands = {
  warm: async ({ n, concurrency }) => {
    const { failures, errors } = await runConcurrent(getMe, n, concurrency);
    if (failures) throw new Error(`warm-up: ${failures} of ${n} failed: ${JSON.stringify(errors)}`);
    return {};
  },
  latency: ({ n }) => latency(getMe, n),
  throughput: ({ n, concurrency }) => throughput(getMe, n, concurrency),
  rss: ({ n, concurrency }) => peakRssGrowth(getMe, n, concurrency),
  storm: ({ n, concurrency }) => storm(getMe, n, concurrency),
};

process.on('message', async (message) => {
  try {
    process.send({ ok: true, result: await commands[message.cmd](message) });
  } catch (error) {
    process.send({ ok: false, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
