import { describe, expect, it } from 'vitest';
import { connect, simulator } from './support.js';

describe('paginate', () => {
  it('yields items across @odata.nextLink, with the caller query on the first request only', async () => {
    const graph = await simulator({ users: 25 });
    const con = connect(graph);
    const names: string[] = [];
    for await (const user of con.paginate<{ displayName: string }>('users', { searchParams: { $top: 10 } })) names.push(user.displayName);
    expect(names).toHaveLength(25);
    expect(names.at(-1)).toBe('User 25');
    expect(graph.stats.requests).toBe(3);
    expect(graph.stats.log.every((r) => r.query.$top === '10' && r.authorized)).toBe(true);
  });

  it('iterates whole pages, stops at maxPages, and retries a failing page', async () => {
    const graph = await simulator({ users: 25 });
    const con = connect(graph, { retries: { backoffBase: 10 } });
    graph.script('GET /v1.0/users', [{}, { status: 503 }]); // the second page fails once
    const sizes: number[] = [];
    for await (const page of con.paginate('users?$top=10').pages()) sizes.push(page.value.length);
    expect(sizes).toEqual([10, 10, 5]);
    const two: unknown[] = [];
    for await (const user of con.paginate('users?$top=10', { maxPages: 2 })) two.push(user);
    expect(two).toHaveLength(20);
    expect(() => con.paginate('users', { maxPages: 0 })).toThrow("[@graphwire/core] paginate: option 'maxPages' must be a whole number");
    expect(() => con.paginate('users', { retry: { limt: 1 } } as never)).toThrow(/paginate: unknown option 'retry.limt' \(did you mean 'retry.limit'\?\)/);
    expect(() => con.paginate('users', { maxPage: 2 } as never)).toThrow("[@graphwire/core] paginate: unknown option 'maxPage' (did you mean 'maxPages'?)");
  });

  it('exposes the final @odata.deltaLink after a delta round, and none otherwise', async () => {
    const graph = await simulator({ users: 12 });
    const con = connect(graph);
    const round = con.paginate('users/delta');
    let count = 0;
    for await (const _ of round) count++;
    expect(count).toBe(12);
    expect(round.deltaLink).toMatch(new RegExp(`^${graph.url}/v1.0/users/delta\\?\\$deltatoken=`));
    const next = con.paginate(round.deltaLink!);
    for await (const _ of next) count++;
    expect(count).toBe(12); // nothing changed since
    expect(next.deltaLink).toMatch(/\$deltatoken=/);
    const plain = con.paginate('users');
    for await (const _ of plain) void _;
    expect(plain.deltaLink).toBeUndefined();
  });

  it('follows an empty page that still carries a nextLink, and gives a foreign nextLink no token', async () => {
    const graph = await simulator();
    const foreign = await simulator({ requireAuth: false, users: 3 });
    const con = connect(graph);
    graph.script('GET /v1.0/things', [
      { status: 200, contentType: 'application/json', body: JSON.stringify({ value: [], '@odata.nextLink': `${foreign.url}/v1.0/users` }) },
    ]);
    const ids: string[] = [];
    for await (const user of con.paginate<{ id: string }>('things')) ids.push(user.id);
    expect(ids).toEqual(['user-1', 'user-2', 'user-3']);
    expect(foreign.stats.authorizationHeaders).toBe(0);
  });

  it('stops on abort and rejects a response that is not a collection', async () => {
    const graph = await simulator({ users: 25 });
    const con = connect(graph);
    const controller = new AbortController();
    const seen: unknown[] = [];
    const run = (async () => {
      for await (const user of con.paginate('users?$top=5', { signal: controller.signal })) {
        seen.push(user);
        if (seen.length === 5) controller.abort(new Error('enough'));
      }
    })();
    await expect(run).rejects.toThrow('enough');
    expect(seen).toHaveLength(5);
    await expect((async () => { for await (const _ of con.paginate('me')) void _; })()).rejects.toThrow(
      '[@graphwire/core] paginate: me did not return a collection',
    );
  });
});
