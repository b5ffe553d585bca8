// Which Node the bench measures. Users run Node 22 and 24; this machine's Node 20 is past its end
// of life and much slower at what every Request-building client pays per request (see README.md),
// so an older Node hands the run to Node 24 from the npm registry (`npx -y -p node@24`), cached
// after the first time.
//   BENCH_NODE=current   measure on this Node, whatever its version
//   BENCH_NODE=22        (or 24, 25, …) measure on that major from the registry
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Runs `script` on the Node BENCH_NODE asks for, with this process's Node flags and arguments, and
 * sets this process's exit code to its own; false when this process is that Node already.
 */
export async function handOff(script) {
  const major = Number(process.versions.node.split('.')[0]);
  const wanted = process.env.BENCH_NODE?.trim() || (major < 22 ? '24' : 'current');
  if (wanted !== 'current' && !/^[1-9]\d*$/.test(wanted)) {
    throw new Error(`BENCH_NODE must be 'current' or a Node major version such as 24, not ${JSON.stringify(process.env.BENCH_NODE)}`);
  }
  if (wanted === 'current' || Number(wanted) === major) return false;
  console.log(`[bench] Node ${process.versions.node} here; measuring on Node ${wanted} (npx -y -p node@${wanted}; BENCH_NODE=current keeps this one)`);
  const child = spawn('npx', ['-y', '-p', `node@${wanted}`, 'node', ...process.execArgv, fileURLToPath(script), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_NODE: 'current' },
  });
  // A signal sent to this process alone (a timeout, a supervisor) must stop the run it started.
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (status, signal) => resolve(status ?? 128 + (constants.signals[signal] ?? 0)));
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(signal, forward);
  process.exitCode = code;
  return true;
}
