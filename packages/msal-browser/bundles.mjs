// CDN bundles (IIFE, global `graphwire`), appended to the root rollup build by rollup.config.mjs.
//   dist/graphwire.min.js       core + this package + @azure/msal-browser + idb-keyval
//   dist/graphwire.slim.min.js  the same without MSAL: uses the global `msal` of MSAL's own
//                               @azure/msal-browser/lib/msal-browser.min.js, loaded before it
import { resolve } from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

export default function bundles({ root, pkg, define }) {
  // The bundle carries the core, compiled from its sources so a stale core dist never leaks in.
  const coreSource = resolve(root, '../core/src/index.ts');
  const coreFromSource = {
    name: 'graphwire-core-from-source',
    resolveId: (id) => (id === '@graphwire/core' ? coreSource : null),
  };
  const banner = (what) =>
    `/*! ${pkg.name} v${pkg.version} (${what}) | ${pkg.license} License | includes @graphwire/core, ky (MIT), idb-keyval (Apache-2.0)` +
    `${what === 'full' ? ', @azure/msal-browser (MIT, Microsoft)' : ''} */`;

  const bundle = (file, slim) => ({
    input: `${root}/src/cdn.ts`,
    external: slim ? (id) => id === '@azure/msal-browser' : () => false,
    plugins: [
      coreFromSource,
      nodeResolve({ browser: true, extensions: ['.ts', '.mjs', '.js'] }),
      commonjs(),
      esbuild({ target: 'es2022', define, tsconfig: 'tsconfig.base.json' }),
      terser({ format: { comments: /^!/ }, compress: { passes: 2 } }),
    ],
    output: {
      file: `${root}/dist/${file}`,
      format: 'iife',
      inlineDynamicImports: true, // one file for a script tag: the core's lazily loaded batch and upload included
      name: 'graphwire',
      banner: banner(slim ? 'slim, needs the global msal' : 'full'),
      globals: { '@azure/msal-browser': 'msal' },
      sourcemap: true,
    },
  });

  return [bundle('graphwire.min.js', false), bundle('graphwire.slim.min.js', true)];
}
