// The first test: the README example, run exactly as written.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

function firstTsBlock(markdownPath: string): string {
  const match = /```ts\n([\s\S]*?)```/.exec(readFileSync(markdownPath, 'utf8'));
  if (!match?.[1]) throw new Error(`no ts example in ${markdownPath}`);
  return match[1];
}

afterEach(() => vi.restoreAllMocks());

it('runs the package README example as written, and the root README shows the same one', async () => {
  const example = firstTsBlock(here('../README.md'));
  expect(firstTsBlock(here('../../../README.md'))).toBe(example);

  mkdirSync(here('./.generated'), { recursive: true });
  const file = here('./.generated/readme-example.ts');
  writeFileSync(file, `${example}\nexport {};\n`);
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  await import(/* @vite-ignore */ file);
  expect(lines).toEqual(['Hello, User 1', '404 itemNotFound']);
});
