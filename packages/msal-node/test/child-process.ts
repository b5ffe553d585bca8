import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));

export interface Child {
  process: ChildProcess;
  /** Resolves with the next JSON line the child prints. */
  next(): Promise<Record<string, unknown>>;
  /** Writes one JSON line to the child's stdin. */
  send(message: unknown): void;
  exited: Promise<number | null>;
}

export interface ChildOptions {
  /** A file in `fixtures` (default `session-child.ts`). */
  fixture?: string;
  /** Where fixtures live (default this folder's `fixtures/`); the Redis package's tests share this helper. */
  fixtures?: URL;
  /** Variables set (or, when undefined, removed) on top of this process's environment. */
  env?: Record<string, string | undefined>;
}

/** Runs a test/fixtures script in its own Node process (tsx resolves @graphwire/* via tsconfig paths). */
export function startChild(input: Record<string, unknown>, options: ChildOptions = {}): Child {
  const script = fileURLToPath(new URL(options.fixture ?? 'session-child.ts', options.fixtures ?? new URL('./fixtures/', import.meta.url)));
  const env: Record<string, string | undefined> = { ...process.env, ...options.env, GRAPHWIRE_CHILD: JSON.stringify(input) };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  const child = spawn(process.execPath, [tsx, script], {
    cwd: root,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line); else lines.push(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    exited,
    send: (message) => { child.stdin?.write(`${JSON.stringify(message)}\n`); },
    next: () => new Promise((resolve, reject) => {
      const take = (line: string) => resolve(JSON.parse(line) as Record<string, unknown>);
      const queued = lines.shift();
      if (queued !== undefined) return take(queued);
      waiters.push(take);
      void exited.then((code) => reject(new Error(`child exited (${code}) before answering: ${stderr.slice(-2000)}`)));
    }),
  };
}

/** Kills a script's real process (the pid it reported), not only tsx's wrapper. */
export function killPid(pid: number | undefined): void {
  if (pid === undefined) return;
  try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
}

/** Resolves once the process with this pid has exited. */
export async function gone(pid: number): Promise<void> {
  for (;;) {
    try { process.kill(pid, 0); } catch { return; }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
