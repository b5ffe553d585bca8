// This package's README example, run exactly as written, against a redis-server of its own.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { startRedisServer, type RedisServer } from './redis-server.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
let redis: RedisServer;
beforeAll(async () => { redis = await startRedisServer(); });
afterAll(() => redis.close());
afterEach(() => { vi.restoreAllMocks(); delete process.env.REDIS_URL; });

it('runs the README example as written, and leaves the cache in Redis', async () => {
  const match = /```ts\n([\s\S]*?)```/.exec(readFileSync(here('../README.md'), 'utf8'));
  if (!match?.[1]) throw new Error('no ts example in README.md');
  mkdirSync(here('./.generated'), { recursive: true });
  const file = here('./.generated/readme-example.ts');
  writeFileSync(file, `${match[1]}\nexport {};\n`);
  process.env.REDIS_URL = redis.url;
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  await import(/* @vite-ignore */ file);
  expect(lines).toEqual(['First user: User 1']);
  const client = await redis.client();
  expect(await client.keys('graphwire:{tokens:*')).toHaveLength(1);
});
