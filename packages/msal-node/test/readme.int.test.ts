// The first test: this package's README example, run exactly as written.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

afterEach(() => vi.restoreAllMocks());

it('runs the README example as written', async () => {
  const match = /```ts\n([\s\S]*?)```/.exec(readFileSync(here('../README.md'), 'utf8'));
  if (!match?.[1]) throw new Error('no ts example in README.md');
  mkdirSync(here('./.generated'), { recursive: true });
  const file = here('./.generated/readme-example.ts');
  writeFileSync(file, `${match[1]}\nexport {};\n`);
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  await import(/* @vite-ignore */ file);
  expect(lines).toEqual(['First user: User 1']);
});
