// The runtimes the portability suite (packages/core/test/portability.int.test.ts) runs the core on,
// pinned, installed on demand from the npm registry into a cache outside the repository, and
// reused from there. Nothing is downloaded from anywhere but the registry: each package ships its
// binary as an optional platform package (bun, deno, workerd) or installs its platform package
// from the registry in a preinstall script (node).
//
//   node scripts/portable-runtimes.mjs    installs what is missing, prints the binaries
//
// Cache: $GRAPHWIRE_RUNTIMES_DIR, else ${XDG_CACHE_HOME:-~/.cache}/graphwire-runtimes, one folder
// per package and version (about 0.9 GB for all). Outside node_modules on purpose: `npm ci` wipes
// node_modules, and these are not dependencies of the project (they would add ~300 MB to every
// `npm ci`). Bump a version here and the next run installs it beside the old one.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** name → npm package, exact version, binary in node_modules/.bin. */
export const RUNTIMES = {
  node20: { package: 'node', version: '20.19.0', bin: 'node' }, // the oldest Node the packages support
  node22: { package: 'node', version: '22.23.3', bin: 'node' },
  node24: { package: 'node', version: '24.21.0', bin: 'node' },
  bun: { package: 'bun', version: '1.4.5', bin: 'bun' },
  deno: { package: 'deno', version: '2.9.6', bin: 'deno' },
  workerd: { package: 'workerd', version: '1.20261117.1', bin: 'workerd' },
};

export function cacheDir() {
  if (process.env.GRAPHWIRE_RUNTIMES_DIR) return process.env.GRAPHWIRE_RUNTIMES_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'graphwire-runtimes');
}

// npm run sets variables describing the calling project (workspaces, lifecycle): keep them away
// from the nested install, which has its own throwaway package.json.
function npmEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_|^npm_config_(workspaces?|include_workspace_root|global|prefix)$|^INIT_CWD$/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

async function versionOf(bin) {
  const { stdout } = await run(bin, ['--version'], { timeout: 30_000 });
  return stdout.trim().split('\n')[0];
}

/** Installs one runtime if its folder is missing; resolves to `{ name, bin, version, dir, installed }`. */
export async function ensureRuntime(name, { log = () => {} } = {}) {
  const spec = RUNTIMES[name];
  if (!spec) throw new Error(`unknown runtime ${name}; known: ${Object.keys(RUNTIMES).join(', ')}`);
  const root = cacheDir();
  const dir = join(root, `${spec.package}-${spec.version}`);
  const bin = join(dir, 'node_modules', '.bin', spec.bin);
  const marker = join(dir, '.ready');
  if (existsSync(marker) && existsSync(bin)) {
    const { version } = JSON.parse(await readFile(marker, 'utf8'));
    return { name, bin, version, dir, installed: false };
  }
  if (existsSync(dir)) await rm(dir, { recursive: true, force: true }); // a damaged copy

  await mkdir(root, { recursive: true });
  // Install beside the final folder and rename it into place, so concurrent runs never see half an install.
  const tmp = await mkdtemp(join(root, `.tmp-${spec.package}-${spec.version}-`));
  try {
    const started = Date.now();
    log(`installing ${spec.package}@${spec.version} into ${dir}`);
    await writeFile(join(tmp, 'package.json'), '{ "private": true }\n');
    const args = ['install', '--prefix', tmp, '--no-save', '--no-package-lock', '--no-audit', '--no-fund'];
    args.push('--prefer-offline', '--loglevel=error', `${spec.package}@${spec.version}`);
    try {
      await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: tmp, env: npmEnv(), timeout: 600_000, maxBuffer: 16 << 20 });
    } catch (error) {
      throw new Error(`npm install ${spec.package}@${spec.version} failed: ${error.stderr || error.message}`);
    }
    const tmpBin = join(tmp, 'node_modules', '.bin', spec.bin);
    let version;
    try {
      version = await versionOf(tmpBin);
    } catch (error) {
      throw new Error(`${spec.package}@${spec.version} installed, but ${tmpBin} --version failed (did npm skip its install script?): ${error.message}`);
    }
    await writeFile(join(tmp, '.ready'), `${JSON.stringify({ version, installedAt: new Date().toISOString() })}\n`);
    try {
      await rename(tmp, dir);
    } catch (error) {
      if (!existsSync(marker)) throw error; // else another run finished first: use its copy
    }
    log(`installed ${spec.package}@${spec.version} (${version}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { name, bin, version, dir, installed: true };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Installs the missing ones in parallel; resolves to name → `{ bin, version, dir, installed }`. */
export async function ensureRuntimes(names = Object.keys(RUNTIMES), options = {}) {
  const results = await Promise.all(names.map((name) => ensureRuntime(name, options)));
  return Object.fromEntries(results.map((r) => [r.name, r]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const runtimes = await ensureRuntimes(undefined, { log: (line) => console.log(line) });
  for (const r of Object.values(runtimes)) console.log(`${r.name.padEnd(8)} ${r.version.padEnd(24)} ${r.bin}`);
  console.log(`portable runtimes ready in ${((Date.now() - started) / 1000).toFixed(1)} s (cache: ${cacheDir()})`);
}
