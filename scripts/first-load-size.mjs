// What an app downloads first for `new Connection(…).get('me')`: the built core and ky bundled by
// esbuild with code splitting, as Vite, webpack and Rollup split an app, gzip -9. con.batch and
// con.upload are import()ed on first use, so they must stay out of it: the budget fails if they
// come back. The whole bundle without splitting (esbuild's default) is printed too. Run after the build.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET = 24_500; // bytes, gzip -9: 23.7 kB since con.batch and con.upload moved to their own chunks (29.0 kB before)

// Inside the repository, so `@graphwire/core` resolves to this checkout's package and nothing else.
const cache = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'graphwire-size-'));
try {
  const entry = join(dir, 'app.mjs');
  writeFileSync(entry, "import { Connection, StaticTokenSession } from '@graphwire/core';\n" +
    "new Connection({ session: new StaticTokenSession('t') }).get('me').json().then(console.log);\n");
  // From the package's dist as a user gets it (no tsconfig paths to the sources).
  const common = { entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', tsconfigRaw: {}, logLevel: 'error', metafile: true };
  const split = await build({ ...common, splitting: true, outdir: join(dir, 'split') });
  await build({ ...common, outfile: join(dir, 'whole.js') });

  const outputs = split.metafile.outputs;
  const first = new Set();
  const visit = (file) => {
    if (first.has(file)) return;
    first.add(file);
    for (const imported of outputs[file].imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(Object.keys(outputs).find((file) => outputs[file].entryPoint));
  const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
  const firstBytes = [...first].reduce((sum, file) => sum + gzip(file), 0);
  const wholeBytes = gzip(join(dir, 'whole.js'));
  const kb = (n) => `${(n / 1000).toFixed(2)} kB`;
  console.log(`first load of Connection + get, code split: ${kb(firstBytes)} gzip (budget ${kb(BUDGET)}); one file, not split: ${kb(wholeBytes)}`);
  // By what the outputs contain, not by their names: the core's own batch and upload chunks must
  // reach the app through lazily loaded outputs only.
  const holds = (file, name) => Object.keys(outputs[file].inputs).some((input) => input.endsWith(`chunks/index-${name}.js`));
  const lazy = Object.keys(outputs).filter((file) => file.endsWith('.js') && !first.has(file));
  const missing = ['batch', 'upload'].filter((name) => [...first].some((file) => holds(file, name)) || !lazy.some((file) => holds(file, name)));
  if (firstBytes > BUDGET || missing.length > 0) {
    const why = [firstBytes > BUDGET && 'over budget', missing.length && `${missing.join(', ')} not in a lazily loaded chunk (lazy: ${lazy.map((file) => basename(file)).join(', ') || 'none'})`];
    console.log(`FAIL first load: ${why.filter(Boolean).join('; ')}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
