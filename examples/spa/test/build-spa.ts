// Builds the example with Vite's own API and its vite.config.ts, in memory (nothing is written to
// disk), configured the way a user configures it: VITE_GRAPHWIRE_* variables at build time.
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';

const CONFIG_FILE = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

export interface BuiltSpa {
  /** `/index.html`, `/redirect.html`. */
  pages: Record<string, string>;
  /** `/assets/*.js`. */
  scripts: Record<string, string>;
}

export async function buildSpa(env: Record<`VITE_GRAPHWIRE_${string}`, string>): Promise<BuiltSpa> {
  // Vite reads VITE_* from process.env (over any .env file); a developer's own settings must not leak in.
  const saved = Object.entries(process.env).filter(([key]) => key.startsWith('VITE_GRAPHWIRE_'));
  for (const [key] of saved) delete process.env[key];
  Object.assign(process.env, env);
  let result: Awaited<ReturnType<typeof build>>;
  try {
    result = await build({
      configFile: CONFIG_FILE,
      envDir: false, // ignore examples/spa/.env.local (a real tenant's settings)
      logLevel: 'warn',
      build: { write: false, emptyOutDir: false },
    });
  } finally {
    for (const key of Object.keys(env)) delete process.env[key];
    Object.assign(process.env, Object.fromEntries(saved));
  }
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const built: BuiltSpa = { pages: {}, scripts: {} };
  for (const file of outputs.flatMap((o) => o.output)) {
    const path = `/${file.fileName}`;
    if (file.type === 'chunk') built.scripts[path] = file.code;
    else if (path.endsWith('.html')) built.pages[path] = String(file.source);
    else throw new Error(`buildSpa: the test's web server serves only HTML and JavaScript, not ${path}`);
  }
  return built;
}
