import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests import the public package names; they resolve to the sources so a test run needs no build.
const alias = {
  '@graphwire/core/opentelemetry': fileURLToPath(new URL('./packages/core/src/opentelemetry.ts', import.meta.url)),
  '@graphwire/core': src('core'),
  '@graphwire/testing': src('testing'),
  '@graphwire/msal-node': src('msal-node'),
  '@graphwire/msal-browser': src('msal-browser'),
  '@graphwire/redis': src('redis'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: 'unit', include: ['packages/*/test/**/*.unit.test.ts'], environment: 'node' } },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.int.test.ts', 'examples/*/test/**/*.test.ts'],
          exclude: ['examples/*/test/**/*.browser.test.ts', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          // Drives Debian's Chromium with playwright-core; each file launches one browser.
          include: ['packages/msal-browser/test/**/*.browser.test.ts', 'packages/core/test/**/*.browser.test.ts', 'examples/*/test/**/*.browser.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
