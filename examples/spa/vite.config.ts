import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  // Inside this monorepo the graphwire packages come from their sources, so the example needs no
  // `npm run build` first. In a copy of this example, delete `resolve` and install the packages.
  resolve: {
    alias: {
      '@graphwire/core': here('../../packages/core/src/index.ts'),
      '@graphwire/msal-browser': here('../../packages/msal-browser/src/index.ts'),
    },
  },
  // The redirect URI registered for the app must match the origin exactly: keep the port fixed.
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
  build: {
    // Two pages: the app and the redirect bridge page MSAL returns to.
    rolldownOptions: { input: { index: here('index.html'), redirect: here('redirect.html') } },
  },
});
