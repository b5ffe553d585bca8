// Runs this package's Chromium tests alone, until the root config has its `browser` project:
//   npx vitest run --config packages/msal-browser/vitest.browser.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`../${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: {
    alias: {
      '@graphwire/core': src('core'),
      '@graphwire/testing': src('testing'),
      '@graphwire/msal-node': src('msal-node'),
      '@graphwire/msal-browser': src('msal-browser'),
    },
  },
  test: {
    name: 'browser',
    include: ['packages/msal-browser/test/**/*.browser.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file drives its own Chromium; two at once on two cores is the limit worth risking.
    maxWorkers: 2,
  },
});
