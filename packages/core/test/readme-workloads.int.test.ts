// The root README's workload examples (paging, batching, uploads), each run exactly as written.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

function workloadBlocks(): string[] {
  const readme = readFileSync(here('../../../README.md'), 'utf8');
  const section = readme.split('## Workloads: paging, batching, uploads')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

async function run(name: string, code: string): Promise<string[]> {
  mkdirSync(here('./.generated'), { recursive: true });
  const file = here(`./.generated/readme-${name}.ts`);
  writeFileSync(file, `${code}\nexport {};\n`);
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  await import(/* @vite-ignore */ file);
  vi.restoreAllMocks();
  return lines;
}

afterEach(() => vi.restoreAllMocks());

function testingBlock(): string {
  const readme = readFileSync(here('../../../README.md'), 'utf8');
  const section = readme.split('## Testing your own code with `@graphwire/testing`')[1]?.split('\n## ')[0] ?? '';
  return /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
}

it('testing your own code, as written', async () => {
  expect(await run('testing', testingBlock())).toEqual(['2 1']);
});

it('the README has the three workload examples', () => {
  expect(workloadBlocks()).toHaveLength(3);
});

it('paging, as written', async () => {
  expect(await run('paging', workloadBlocks()[0]!)).toEqual(['25 users in 3 pages']);
});

it('batching, as written', async () => {
  expect(await run('batching', workloadBlocks()[1]!)).toEqual(['101/101 done', 'User 7', 'itemNotFound', '7 round trips']);
});

it('uploads, as written', async () => {
  expect(await run('uploads', workloadBlocks()[2]!)).toEqual(['42%', '83%', '100%', 'q3.bin 25165824']);
});
