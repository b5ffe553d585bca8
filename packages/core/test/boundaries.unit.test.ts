// The core must run unchanged in browsers: it imports its own modules and ky, nothing else.
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
      if (!spec!.startsWith('./') && !spec!.startsWith('../') && spec !== 'ky') foreign.push(`${file}: ${spec}`);
    }
    if (/\b(?:process|Buffer|require)\s*[.(]/.test(text)) foreign.push(`${file}: uses a Node global`);
  }
  expect(foreign).toEqual([]);
});

it('keeps each module small', () => {
  const long = files(src)
    .map((f) => [f, readFileSync(f, 'utf8').split('\n').length] as const)
    .filter(([, lines]) => lines > 220);
  expect(long).toEqual([]);
});
