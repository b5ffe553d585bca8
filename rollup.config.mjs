// Builds every package under packages/ to ESM + CJS + .d.ts from its src/index.ts.
// Platform bundles for the CDN (IIFE) are declared by the package itself in `bundles.mjs`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { pathToFileURL } from 'node:url';
import esbuild from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';

const packages = readdirSync('packages').filter((dir) => existsSync(`packages/${dir}/src/index.ts`));
const only = process.env.PKG; // PKG=core npm run build builds one package

function externalFor(pkg) {
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies });
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  return (id) => builtins.has(id) || id.startsWith('node:') || deps.some((d) => id === d || id.startsWith(`${d}/`));
}

const configs = [];
for (const dir of packages) {
  if (only && only !== dir) continue;
  const root = `packages/${dir}`;
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
  const external = externalFor(pkg);
  const define = { __GRAPHWIRE_VERSION__: JSON.stringify(pkg.version) };
  const entries = pkg.graphwire?.entries ?? { index: 'src/index.ts' };
  for (const [name, input] of Object.entries(entries)) {
    configs.push(
      {
        input: `${root}/${input}`,
        external,
        plugins: [esbuild({ target: 'es2022', define, tsconfig: 'tsconfig.base.json' })],
        // A module loaded with import() (batch, upload) becomes a chunk of its own, so a bundler that
        // splits code leaves it out of an app's first download. Chunk names carry no hash: a rebuild
        // overwrites them, and a failed one leaves the previous dist whole.
        output: [
          { dir: `${root}/dist`, entryFileNames: `${name}.js`, chunkFileNames: `chunks/${name}-[name].js`, format: 'es', sourcemap: true },
          {
            dir: `${root}/dist`, entryFileNames: `${name}.cjs`, chunkFileNames: `chunks/${name}-[name].cjs`,
            format: 'cjs', sourcemap: true, exports: 'named', interop: 'auto',
          },
        ],
      },
      {
        input: `${root}/${input}`,
        external,
        plugins: [dts({ tsconfig: 'tsconfig.base.json', compilerOptions: { paths: {} } })],
        output: [
          { file: `${root}/dist/${name}.d.ts`, format: 'es' },
          { file: `${root}/dist/${name}.d.cts`, format: 'es' },
        ],
      },
    );
  }
  if (existsSync(`${root}/bundles.mjs`)) {
    const { default: bundles } = await import(pathToFileURL(`${root}/bundles.mjs`).href);
    configs.push(...bundles({ root, pkg, define }));
  }
}

export default configs;
