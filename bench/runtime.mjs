// Which Node the bench measures. Users run Node 22 and 24; this machine's Node 20 is past its end
// of life and much slower at what every Request-building client pays per request (a `Request`
// with a signal costs ~34 µs on Node 20, ~8 µs on Node 24), so an older Node hands the run to
// Node 24 from the npm registry (`npx -y -p node@24`), cached after the first time.
//   BENCH_NODE=current   measure on this Node, whatever its version
//   BENCH_NODE=22        (or 24, 25, …) measure on that major from the registry
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const wanted = process.env.BENCH_NODE;
const major = Number(process.versions.node.split('.')[0]);

/** Runs `script` on the Node BENCH_NODE asks for; false when this process is that Node already. */
export async function handOff(script) {
  const target = wanted ?? (major < 22 ? '24' : 'current');
  if (target === 'current' || Number(target) === major) return false;
  if (!/^\d+$/.test(target)) throw new Error(`BENCH_NODE must be 'current' or a major version such as 24, not ${JSON.stringify(target)}`);
  console.log(`[bench] Node ${process.versions.node} here; measuring on Node ${target} (npx -y -p node@${target}; BENCH_NODE=current keeps this one)`);
  const child = spawn('npx', ['-y', '-p', `node@${target}`, 'node', fileURLToPath(script), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_NODE: 'current' },
  });
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });
  process.exitCode = code;
  return true;
}
