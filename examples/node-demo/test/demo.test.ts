import { expect, it } from 'vitest';
import { runDemo } from '../src/demo.js';

it('runs the npm start demo end to end', async () => {
  const lines: string[] = [];
  const summary = await runDemo((line) => lines.push(line));
  expect(summary).toMatchObject({ users: 42, pages: 5, batched: 42, tokenRequests: 1 });
  expect(summary.uploadedBytes).toBeGreaterThan(4 * 1024 * 1024);
  expect(lines.some((l) => /upload: 100%/.test(l))).toBe(true);
  expect(summary.tooManyRequestsSent).toBeGreaterThan(0);
  expect(lines.some((l) => /Missing user → 404 itemNotFound/.test(l))).toBe(true);
});
