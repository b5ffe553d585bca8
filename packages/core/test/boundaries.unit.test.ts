// The core must run unchanged in browsers: it imports its own modules, ky and is-network-error (the
// network-error test ky inlines, for the retries the transport runs), nothing else. The
// optional `@graphwire/core/opentelemetry` entry alone imports its optional peer, @opentelemetry/api.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

it('imports no Node built-in and no platform package', () => {
  const foreign: string[] = [];
  for (const file of files(src)) {
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      const optionalPeer = spec === '@opentelemetry/api' && file === join(src, 'opentelemetry.ts');
      if (!spec!.startsWith('./') && !spec!.startsWith('../') && spec !== 'ky' && spec !== 'is-network-error' && !optionalPeer) foreign.push(`${file}: ${spec}`);
    }
    if (/\b(?:process|Buffer|require)\s*[.(]/.test(text)) foreign.push(`${file}: uses a Node global`);
  }
  expect(foreign).toEqual([]);
});

it('keeps the optional OpenTelemetry entry out of the main entry', () => {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
      visit(join(file, '..', spec!.replace(/\.js$/, '.ts')));
    }
  };
  visit(join(src, 'index.ts'));
  expect([...seen].filter((f) => f.endsWith('opentelemetry.ts'))).toEqual([]);
  expect(seen.size).toBeGreaterThan(20);
});

it('keeps each module small', () => {
  const long = files(src)
    .map((f) => [f, readFileSync(f, 'utf8').split('\n').length] as const)
    .filter(([, lines]) => lines > 220);
  expect(long).toEqual([]);
});
