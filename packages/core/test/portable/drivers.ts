// Node-side drivers that run scenario.mjs on each runtime and hand back its parsed result.
// The scenario and the built core are used as shipped: Node, Bun and Deno import packages/core/dist
// through node_modules; Chromium loads the same files unbundled through an import map; workerd gets
// one esbuild bundle (a module worker, as a Workers user would deploy it).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX } from './plan.mjs';

export interface StepResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}
export interface ScenarioResult {
  ok: boolean;
  env: { runtime: string; isSecureContext: boolean | null; randomUUID: boolean };
  steps: StepResult[];
  facts: { retryClientRequestId?: string };
}

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = join(here, '../../../..');
const CORE_DIST = join(REPO, 'packages/core/dist');
const KY_DIST = dirname(createRequire(join(REPO, 'packages/core/package.json')).resolve('ky'));
/** The import map a page needs to load the built core the way an SPA's bundler-free build would (served by pageServer). */
export const IMPORT_MAP = '<script type="importmap">{ "imports": { "@graphwire/core": "/core/index.js", "ky": "/ky/index.js", "is-network-error": "/is-network-error/index.js" } }</script>';
const IS_NETWORK_ERROR = dirname(createRequire(join(REPO, 'packages/core/package.json')).resolve('is-network-error'));

/**
 * The scenario imports the built core: say so plainly instead of failing on a missing module.
 * Resolves to a warning when a source file is newer than the build (the suite then tests old code).
 */
export function assertCoreBuilt(): string | undefined {
  const built = join(CORE_DIST, 'index.js');
  if (!existsSync(built)) {
    throw new Error('packages/core/dist is missing: `npm test` builds it first; alone, run `PKG=core npm run build`');
  }
  const src = join(REPO, 'packages/core/src');
  const newer = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(src, f)).mtimeMs > statSync(built).mtimeMs);
  if (newer.length > 0) return `packages/core/dist is older than src (${newer.slice(0, 3).join(', ')}): run \`PKG=core npm run build\``;
  return undefined;
}

/** Finds the result line in a runtime's output; throws with the whole output when there is none. */
export function parseResult(output: string, context: string): ScenarioResult {
  const line = output.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) throw new Error(`no result line from ${context}; its output:\n${output.slice(-4000)}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as ScenarioResult;
}

// A child gets a small known environment (no NODE_OPTIONS from vitest, no npm_* variables).
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), NO_COLOR: '1' };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return { ...env, ...extra };
}

/** Runs `bin ...args` (which prints the result line) and parses its output. */
export function runCommand(bin: string, args: string[], { timeoutMs = 30_000, env = {} }: { timeoutMs?: number; env?: Record<string, string> } = {}) {
  return new Promise<{ result: ScenarioResult; code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(bin, args, { cwd: REPO, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const context = `${[bin, ...args].join(' ')} (exit ${code ?? signal})`;
      try {
        resolve({ result: parseResult(output, context), code, output });
      } catch (error) {
        reject(error);
      }
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, deadlineMs: number, describe: () => string): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (Date.now() > until) throw new Error(`${url} did not answer within ${deadlineMs} ms\n${describe()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// workerd: one process, two module workers with the same bundle and no compatibility flags at
// all (so no nodejs_compat): one at the oldest compatibility date the core supports, one at the
// binary's own date. Their only outbound network is loopback.

export const WORKERD_MINIMUM_DATE = '2022-11-30'; // streams_enable_constructors: ky builds a ReadableStream at import

export interface Workerd {
  dates: Record<'minimum' | 'current', string>;
  run(which: 'minimum' | 'current', simUrl: string): Promise<ScenarioResult>;
  close(): Promise<void>;
}

async function bundleWorker(dir: string): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(here, 'worker.mjs')],
    outfile: join(dir, 'worker.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
}

/** A config with one socket + module worker per entry; the workers' only outbound network is loopback. */
function workerdConfig(workers: Array<{ name: string; date: string; port: number }>): string {
  const services = workers.map(
    ({ name, date }) =>
      `    (name = "${name}", worker = (modules = [(name = "worker.mjs", esModule = embed "worker.mjs")], ` +
      `compatibilityDate = "${date}", compatibilityFlags = [], globalOutbound = "loopback")),`,
  );
  const sockets = workers.map(({ name, port }) => `    (name = "${name}", address = "127.0.0.1:${port}", http = (), service = "${name}"),`);
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
${services.join('\n')}
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [
${sockets.join('\n')}
  ],
);
`;
}

function spawnWorkerd(bin: string, config: string) {
  const child = spawn(bin, ['serve', config, '--verbose'], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const state = { log: '', code: null as number | null };
  child.stdout.on('data', (d: Buffer) => (state.log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (state.log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve((state.code = code))));
  return { child, state, exited };
}

export async function startWorkerd(bin: string, binaryVersion: string): Promise<Workerd> {
  const current = /\d{4}-\d{2}-\d{2}/.exec(binaryVersion)?.[0];
  if (!current) throw new Error(`cannot read a compatibility date from "${binaryVersion}"`);
  const dates = { minimum: WORKERD_MINIMUM_DATE, current };
  const dir = await mkdtemp(join(tmpdir(), 'graphwire-workerd-'));
  await bundleWorker(dir);
  const ports = { minimum: await freePort(), current: await freePort() };
  await writeFile(
    join(dir, 'config.capnp'),
    workerdConfig([
      { name: 'minimum', date: dates.minimum, port: ports.minimum },
      { name: 'current', date: dates.current, port: ports.current },
    ]),
  );
  const { child, state, exited } = spawnWorkerd(bin, join(dir, 'config.capnp'));
  const close = async () => {
    child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of Object.values(ports)) await waitForHttp(`http://127.0.0.1:${port}/`, 10_000, () => `workerd log:\n${state.log}`);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    dates,
    async run(which, simUrl) {
      const response = await fetch(`http://127.0.0.1:${ports[which]}/?sim=${encodeURIComponent(simUrl)}`, {
        signal: AbortSignal.timeout(30_000),
      });
      return parseResult(await response.text(), `workerd (${which}, compatibility date ${dates[which]}, HTTP ${response.status})\n${state.log}`);
    },
    close,
  };
}

/** Serves the bundle at `date` and resolves to workerd's exit code and log, or `running` if it came up. */
export async function workerdAtDate(bin: string, date: string): Promise<{ exit: number | null | 'running'; log: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'graphwire-workerd-'));
  try {
    await bundleWorker(dir);
    await writeFile(join(dir, 'config.capnp'), workerdConfig([{ name: 'early', date, port: await freePort() }]));
    const { child, state, exited } = spawnWorkerd(bin, join(dir, 'config.capnp'));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    return { exit: child.signalCode === 'SIGKILL' ? 'running' : state.code, log: state.log };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium: Debian's /usr/bin/chromium through playwright-core. A tiny server gives the page, the
// scenario files, the core's dist and ky's distribution (an import map resolves the bare names).
// The same server is reached as http://127.0.0.1:PORT (a secure context) and as
// http://portability.test:PORT, a made-up name mapped to 127.0.0.1 (not a secure context: no
// crypto.randomUUID). Both call the simulator at 127.0.0.1 cross-origin, through its CORS.

export const CHROMIUM = '/usr/bin/chromium';
export const INSECURE_HOST = 'portability.test';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>graphwire portability</title>
${IMPORT_MAP}
<script type="module">
  import { resultLine, runScenario } from '/portable/scenario.mjs';
  const sim = new URL(location.href).searchParams.get('sim');
  window.portability = runScenario(sim).then(resultLine, (error) => 'crashed: ' + (error && error.stack || error));
</script>
`;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' };

/**
 * Serves `page` at `/` and the built core and ky under `/core/` and `/ky/` (plus `extra` roots), so
 * a page can load them through an import map as an SPA would.
 */
export function pageServer(page: string, extra: Record<string, string> = {}): Promise<{ server: Server; port: number }> {
  const roots: Record<string, string> = { ...extra, '/core/': CORE_DIST, '/ky/': KY_DIST, '/is-network-error/': IS_NETWORK_ERROR };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(page);
      return;
    }
    const prefix = Object.keys(roots).find((p) => path.startsWith(p));
    const root = prefix && roots[prefix];
    const file = root && normalize(join(root, decodeURIComponent(path.slice(prefix.length))));
    if (!root || !file || !file.startsWith(root + sep) || !TYPES[extname(file)] || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)]!, 'cache-control': 'no-store' });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

export interface Browser {
  run(page: 'secure' | 'insecure', simUrl: string): Promise<ScenarioResult>;
  close(): Promise<void>;
}

export async function startChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  const { chromium } = await import('playwright-core');
  const { server, port } = await pageServer(PAGE, { '/portable/': here });
  const profile = await mkdtemp(join(tmpdir(), 'graphwire-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      // The made-up name reaches the page server; every other name fails, so nothing leaves the machine.
      `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1`,
    ],
  });
  return {
    async run(kind, simUrl) {
      const origin = `http://${kind === 'secure' ? '127.0.0.1' : INSECURE_HOST}:${port}`;
      const page = await context.newPage();
      const console: string[] = [];
      page.on('console', (m) => console.push(`console.${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
      page.on('requestfailed', (r) => console.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
      try {
        await page.goto(`${origin}/?sim=${encodeURIComponent(simUrl)}`);
        const line = await page
          .waitForFunction(() => 'portability' in window, null, { timeout: 15_000 })
          .then(() => page.evaluate(() => (window as unknown as { portability: Promise<string> }).portability));
        return parseResult(line, `Chromium at ${origin}\n${console.join('\n')}`);
      } catch (error) {
        throw new Error(`Chromium at ${origin}: ${(error as Error).message}\n${console.join('\n')}`);
      } finally {
        await page.close();
      }
    },
    async close() {
      await context.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(profile, { recursive: true, force: true });
    },
  };
}
