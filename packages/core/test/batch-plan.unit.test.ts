import { describe, expect, it } from 'vitest';
import { type BatchRequest, chains, pack, planItems } from '../src/batch-plan.js';

const relative = (url: string | URL) => {
  const text = String(url);
  if (/^https?:/.test(text) && !text.startsWith('https://graph.test/v1.0/')) throw new TypeError('[@graphwire/core] batch: not under the base URL');
  const path = text.replace('https://graph.test/v1.0/', '').replace(/^\/+/, '');
  return { url: `/${path}`, absolute: `https://graph.test/v1.0/${path}` };
};
const plan = (requests: BatchRequest[]) => planItems(requests, relative);
const ids = (items: ReturnType<typeof plan>, groups: number[][]) => groups.map((g) => g.map((i) => items[i]!.id));

describe('batch planning', () => {
  it("assigns ids that don't clash with given ones, and sends urls in Graph's form", () => {
    const items = plan([{ method: 'get', url: 'users/1' }, { id: '1', method: 'GET', url: '/me' }, { method: 'GET', url: 'https://graph.test/v1.0/users?$top=5' }]);
    expect(items.map((i) => i.id)).toEqual(['2', '1', '3']);
    expect(items.map((i) => i.url)).toEqual(['/users/1', '/me', '/users?$top=5']);
    expect(items[0]!.method).toBe('GET');
  });

  it('refuses bad input before anything is sent, naming the request', () => {
    expect(() => plan([{ method: 'GET', url: 'a' }, { id: '1', method: 'GET', url: 'b' }, { id: '1', method: 'GET', url: 'c' }])).toThrow(/\[@graphwire\/core\] batch: duplicate id "1"/);
    expect(() => plan([{ url: 'a' } as BatchRequest])).toThrow(/request "1" needs a method/);
    expect(() => plan([{ method: 'GET' } as BatchRequest])).toThrow(/request "1" needs a url/);
    expect(() => plan([{ id: 'a', method: 'GET', url: 'x', dependsOn: ['zz'] }])).toThrow(/"a" dependsOn "zz", which names no request/);
    expect(() => plan([{ id: 'a', method: 'GET', url: 'x', dependsOn: ['a'] }])).toThrow(/"a" depends on itself/);
    expect(() => plan([
      { id: 'a', method: 'GET', url: 'x', dependsOn: ['c'] },
      { id: 'b', method: 'GET', url: 'x', dependsOn: ['a'] },
      { id: 'c', method: 'GET', url: 'x', dependsOn: ['b'] },
    ])).toThrow(/dependsOn forms a cycle: "a" → "c" → "b" → "a"/);
    expect(() => plan([{ method: 'GET', url: 'https://elsewhere.test/v1.0/me' }])).toThrow(/not under the base URL/);
    expect(() => plan([{ method: 'GET', url: 'me', headers: { Authorization: 'Bearer x' } }])).toThrow(/never carry Authorization/);
    expect(() => plan('nope' as never)).toThrow(/requests must be an array/);
  });

  it('keeps each dependsOn chain in one call, dependencies first, across a 20 boundary', () => {
    const requests: BatchRequest[] = Array.from({ length: 18 }, (_, i) => ({ id: `s${i}`, method: 'GET', url: `users/${i}` }));
    // A chain of 5 listed in reverse (each depends on the next one listed): it cannot fit in the first call's last 2 slots.
    for (let i = 0; i < 5; i++) requests.push({ id: `c${i}`, method: 'GET', url: 'me', dependsOn: i < 4 ? [`c${i + 1}`] : [] });
    const items = plan(requests);
    const calls = ids(items, pack(chains(items, items.map((i) => i.index), 20), 20));
    expect(calls.map((c) => c.length)).toEqual([18, 5]);
    expect(calls[1]).toEqual(['c4', 'c3', 'c2', 'c1', 'c0']);
  });

  it('fills calls first-fit and refuses a chain longer than maxPerBatch', () => {
    const requests: BatchRequest[] = [
      { id: 'a', method: 'GET', url: 'x' }, { id: 'b', method: 'GET', url: 'x', dependsOn: ['a'] }, { id: 'c', method: 'GET', url: 'x', dependsOn: ['a'] },
      { id: 'd', method: 'GET', url: 'x' }, { id: 'e', method: 'GET', url: 'x' },
    ];
    const items = plan(requests);
    expect(ids(items, pack(chains(items, [0, 1, 2, 3, 4], 4), 4))).toEqual([['a', 'b', 'c', 'd'], ['e']]);
    expect(() => chains(items, [0, 1, 2, 3, 4], 2)).toThrow(/"a", "b", "c" are linked by dependsOn \(3 requests\).*maxPerBatch is 2/);
  });

  it('a retry subset only links what it holds', () => {
    const items = plan([
      { id: 'a', method: 'GET', url: 'x' }, { id: 'b', method: 'GET', url: 'x', dependsOn: ['a'] }, { id: 'c', method: 'GET', url: 'x', dependsOn: ['b'] },
    ]);
    // 'b' was retried alone ('a' succeeded, 'c' with it): b and c form a chain, a is absent.
    expect(ids(items, chains(items, [2, 1], 20))).toEqual([['b', 'c']]);
  });
});
