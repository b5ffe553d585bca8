// Checks what users install: every built package passes publint and are-the-types-wrong, and
// loads from its dist through both `import` and `require`. Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

// Loading is not enough: a CommonJS build that cannot call into its dependencies (ky is ESM-only)
// still loads. The core's smoke builds a Connection both ways and loads the chunks that batch and
// upload import() on first use (an empty batch resolves; bad upload data is refused inside its chunk).
const USE = {
  '@graphwire/core': "const con = new m.Connection({ session: new m.StaticTokenSession('t') });" +
    "const batch = await con.batch([]); if (!Array.isArray(batch)) throw new Error('batch chunk');" +
    "const refused = await con.upload('me/drive/root:/x.bin:', 42).then(() => undefined, (e) => e);" +
    "if (!(refused instanceof TypeError) || !/upload: data must be/.test(refused.message)) throw new Error(`upload chunk: ${refused}`);",
};
// The smoke runs as an async function body in both module systems.
const smoke = (name) => `(async () => { ${USE[name] ?? ''} })().catch((error) => { console.error(error); process.exit(1); });`;
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: 'pipe', encoding: 'utf8' });
let failed = 0;

for (const dir of readdirSync('packages')) {
  const root = `packages/${dir}`;
  if (!existsSync(`${root}/dist/index.js`)) continue;
  const { name } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
  const checks = [
    ['publint', () => run('npx', ['--no-install', 'publint', '--strict'], root)],
    ['attw', () => run('npx', ['--no-install', 'attw', '--pack', '.', '--profile', 'node16'], root)],
    ['import', () => run('node', ['--input-type=module', '-e', `const m = await import('${name}'); if (!Object.keys(m).length) process.exit(1); ${smoke(name)}`])],
    ['require', () => run('node', ['-e', `const m = require('${name}'); if (!Object.keys(m).length) process.exit(1); ${smoke(name)}`])],
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
