import { expect, it } from 'vitest';
import { MemoryTokenStore } from '@graphwire/core';

it('loads, saves and deletes values', async () => {
  const store = new MemoryTokenStore();
  expect(await store.load('k')).toBeUndefined();
  await store.save('k', 'v1');
  await store.save('k', 'v2');
  expect(await store.load('k')).toBe('v2');
  await store.delete('k');
  expect(await store.load('k')).toBeUndefined();
});

it('serialises lock holders per key, releasing after failures too', async () => {
  const store = new MemoryTokenStore();
  const order: string[] = [];
  const hold = (name: string, ms: number, fail = false) =>
    store.lock('k', async () => {
      order.push(`${name} in`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`${name} out`);
      if (fail) throw new Error(name);
      return name;
    });
  const results = await Promise.allSettled([hold('a', 30, true), hold('b', 10), store.lock('other', async () => order.push('other'))]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  expect(order.filter((e) => e !== 'other')).toEqual(['a in', 'a out', 'b in', 'b out']);
  expect(order.indexOf('other')).toBeLessThan(order.indexOf('a out'));
});
