// Checks what users install: every built package passes publint and are-the-types-wrong, and
// loads from its dist through both `import` and `require`. Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

// Loading is not enough: a CommonJS build that cannot call into its dependencies (ky is ESM-only)
// still loads. The core's smoke builds a Connection both ways.
const USE = { '@graphwire/core': "new m.Connection({ session: new m.StaticTokenSession('t') });" };
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: 'pipe', encoding: 'utf8' });
let failed = 0;

for (const dir of readdirSync('packages')) {
  const root = `packages/${dir}`;
  if (!existsSync(`${root}/dist/index.js`)) continue;
  const { name } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
  const checks = [
    ['publint', () => run('npx', ['--no-install', 'publint', '--strict'], root)],
    ['attw', () => run('npx', ['--no-install', 'attw', '--pack', '.', '--profile', 'node16'], root)],
    ['import', () => run('node', ['--input-type=module', '-e', `const m = await import('${name}'); if (!Object.keys(m).length) process.exit(1); ${USE[name] ?? ''}`])],
    ['require', () => run('node', ['-e', `const m = require('${name}'); if (!Object.keys(m).length) process.exit(1); ${USE[name] ?? ''}`])],
  ];
  for (const [label, check] of checks) {
    try {
      check();
      console.log(`ok   ${name} ${label}`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${name} ${label}\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
    }
  }
}
process.exit(failed ? 1 : 0);
