// What an app downloads first for `new Connection(…).get('me')`: the built core and ky bundled by
// esbuild with code splitting, as Vite, webpack and Rollup split an app, gzip -9. con.batch and
// con.upload are import()ed on first use, so they must stay out of it: the budget fails if they
// come back. The whole bundle without splitting (esbuild's default) is printed too. Run after the build.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET = 24_500; // bytes, gzip -9 (23.7 kB when con.batch and con.upload moved to their own chunks)

const dir = mkdtempSync(join(tmpdir(), 'graphwire-size-'));
try {
  const entry = join(dir, 'app.mjs');
  writeFileSync(entry, "import { Connection, StaticTokenSession } from '@graphwire/core';\n" +
    "new Connection({ session: new StaticTokenSession('t') }).get('me').json().then(console.log);\n");
  // From the package's dist as a user gets it (no tsconfig paths to the sources).
  const common = { entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', nodePaths: [resolve('node_modules')], tsconfigRaw: {}, logLevel: 'error', metafile: true };
  const split = await build({ ...common, splitting: true, outdir: join(dir, 'split') });
  const whole = await build({ ...common, outfile: join(dir, 'whole.js') });

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
  const lazyChunks = Object.keys(outputs).filter((file) => file.endsWith('.js') && !first.has(file));
  if (firstBytes > BUDGET || lazyChunks.length < 2) {
    console.log(`FAIL first load: over budget, or ${lazyChunks.length} lazily loaded chunks where batch and upload are 2`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
