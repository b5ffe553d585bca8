// Serves test pages on http://localhost:PORT (a secure context, so WebCrypto and IndexedDB work).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const PACKAGE_DIR = join(here, '../..');
const REPO = join(PACKAGE_DIR, '../..');
const MSAL_LIB = join(REPO, 'node_modules/@azure/msal-browser/lib');

/** Page code under test/pages bundled for the browser, with the workspace packages from source. */
export async function bundlePages(): Promise<Record<string, string>> {
  const result = await esbuild.build({
    entryPoints: { app: join(here, '../pages/app.ts'), redirect: join(here, '../pages/redirect.ts') },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/out',
    alias: {
      '@graphwire/core': join(REPO, 'packages/core/src/index.ts'),
      '@graphwire/msal-browser': join(PACKAGE_DIR, 'src/index.ts'),
    },
    logLevel: 'warning',
  });
  return Object.fromEntries(result.outputFiles.map((f) => [`/${f.path.split('/').pop()}`, f.text]));
}

export interface WebServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * `pages` maps a path to HTML (built per request, so it can embed ports known only later);
 * `scripts` maps a path to JavaScript. `/dist/*` is this package's build, `/msal/*` MSAL's own lib.
 */
export async function startWebServer(pages: Record<string, (url: URL) => string>, scripts: Record<string, string> = {}): Promise<WebServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const page = pages[path === '/' ? '/index.html' : path];
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page(url));
      return;
    }
    const script = scripts[path];
    if (script !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(script);
      return;
    }
    const file = path.startsWith('/dist/') ? join(PACKAGE_DIR, normalize(path)) : path.startsWith('/msal/') ? join(MSAL_LIB, normalize(path.slice(5))) : '';
    if (file && (file.startsWith(join(PACKAGE_DIR, 'dist')) || file.startsWith(MSAL_LIB)) && existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
