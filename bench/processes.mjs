// Child processes of the bench: the stand-in server and client workers, with a promise-based
// request/reply over IPC (each child handles one command at a time, so replies come in order).
import { fork } from 'node:child_process';

const here = (file) => new URL(file, import.meta.url);

/** Forks `file` and resolves once it sends its first message (its ready/port message). */
export function start(file, args, env = {}) {
  const child = fork(here(file), args, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
    child.once('message', (first) => { child.removeAllListeners('exit'); resolve({ child, first }); });
  });
}

/** Sends `message` and resolves to the child's next message. */
export function ask(child, message) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`child exited with ${code} during ${JSON.stringify(message)}`));
    child.once('exit', onExit);
    child.once('message', (reply) => { child.off('exit', onExit); resolve(reply); });
    child.send(message);
  });
}

/** A client worker: `run(cmd, options)` resolves to the command's result or rejects with its error. */
export async function startWorker(name, { origin, token, caFile, storm = false }) {
  const args = [name, origin, token, ...(storm ? ['storm'] : [])];
  const { child } = await start('./client-worker.mjs', args, { NODE_EXTRA_CA_CERTS: caFile });
  return {
    name,
    token,
    async run(cmd, options = {}) {
      const reply = await ask(child, { cmd, ...options });
      if (!reply.ok) throw new Error(`${name} ${cmd}: ${reply.error}`);
      return reply.result;
    },
    stop: () => child.disconnect(),
  };
}
