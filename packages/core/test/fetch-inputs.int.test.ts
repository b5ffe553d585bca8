// What con.fetch (and the verbs) take as fetch does: async-iterable bodies, foreign Headers, method
// tokens, fetch-only options (`dispatcher`, `priority`) and Request members, mistyped absolute URLs.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { connect, simulator } from './support.js';

const BYTES = [0xff, 0xfe, 0x00, 0x80, 0x41]; // not UTF-8: a decode would replace them

/** Headers from another implementation (npm undici's, another realm's): iterable pairs, not `instanceof Headers`. */
class ForeignHeaders {
  readonly #map: Map<string, string>;
  constructor(init: Record<string, string>) {
    this.#map = new Map(Object.entries(init));
  }
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    yield* this.#map;
  }
}

describe('con.fetch bodies and headers', () => {
  it('sends an async iterable (a Node stream.Readable) as its bytes, adding no content type', async () => {
    const graph = await simulator();
    const con = connect(graph);
    async function* chunks() {
      yield new Uint8Array(BYTES.slice(0, 2));
      yield Buffer.from(BYTES.slice(2));
    }
    for (const [name, body] of [['readable', Readable.from([Buffer.from(BYTES)])], ['generator', chunks()]] as const) {
      const put = await con.fetch(`me/drive/root:/bin/${name}.bin:/content`, { method: 'PUT', body: body as unknown as BodyInit, duplex: 'half' } as RequestInit);
      expect(put.status, name).toBe(201);
      const stored = await (await con.fetch(`me/drive/root:/bin/${name}.bin:/content`)).arrayBuffer();
      expect([...new Uint8Array(stored)], name).toEqual(BYTES);
    }
    const puts = graph.stats.log.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.headers['content-type'])).toEqual([undefined, undefined]);
  });

  it('sends headers given as another Headers implementation or a Map, with con.fetch and the verbs', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const foreign = new ForeignHeaders({ 'content-type': 'application/json', 'x-custom': '1', prefer: 'return=minimal' });
    await con.fetch('me/todo/lists', { method: 'POST', body: '{"displayName":"x"}', headers: foreign as unknown as HeadersInit });
    expect(graph.stats.log[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'x-custom': '1', prefer: 'return=minimal' });
    await con.fetch('me', { headers: new Map([['x-custom', '2']]) as unknown as HeadersInit });
    await con.get('me', { headers: new Map([['X-Custom', '3']]) as unknown as HeadersInit });
    expect(graph.stats.log.slice(1).map((r) => r.headers['x-custom'])).toEqual(['2', '3']);
  });
});

describe('con.fetch methods and URLs', () => {
  it('accepts any RFC 9110 method token, with con.fetch and con.request alike', async () => {
    const graph = await simulator();
    const con = connect(graph);
    await con.fetch('me', { method: 'M-SEARCH' });
    await con.request('M-SEARCH', 'me', { raiseHttpErrors: false });
    expect(graph.stats.log.map((r) => r.method)).toEqual(['M-SEARCH', 'M-SEARCH']);
    for (const bad of ['GE T', 'G(ET)', 'GET\r\n', '']) {
      await expect(con.fetch('me', { method: bad }), JSON.stringify(bad)).rejects.toThrow(TypeError);
      expect(() => con.request(bad, 'me'), JSON.stringify(bad)).toThrow('invalid HTTP method');
    }
    expect(graph.stats.requests).toBe(2);
  });

  it('refuses a mistyped absolute URL with a TypeError instead of sending it as a path', async () => {
    const graph = await simulator();
    const con = connect(graph);
    for (const bad of ['ht tp://example.com/x', '1https://example.com/x', '://example.com/x', 'h_ttps://x']) {
      await expect(con.fetch(bad), bad).rejects.toThrow(TypeError);
      expect(() => con.get(bad), bad).toThrow('invalid URL');
    }
    expect(graph.stats.requests).toBe(0);
  });

  it('still sends paths with colons, drive paths and URLs inside a query to the base URL', async () => {
    const graph = await simulator();
    const con = connect(graph);
    const paths = ['users/x:y', 'me/drive/root:/a:b:', "users?$filter=mail eq 'https://x.example/'", "me/drive/root/search(q='http://x')"];
    for (const path of paths) await con.fetch(path);
    expect(graph.stats.log.map((r) => r.path)).toEqual([
      '/v1.0/users/x:y', '/v1.0/me/drive/root:/a:b:', '/v1.0/users', "/v1.0/me/drive/root/search(q='http://x')",
    ]);
  });
});

describe('fetch-only options and Request members reach fetch', () => {
  it('forwards dispatcher and priority (body or not), and integrity and referrer of a body-less request', async () => {
    const graph = await simulator();
    await fetch(`${graph.url}/v1.0/me`); // Node's fetch sets up its global dispatcher on first use
    const agent = (globalThis as Record<symbol, { dispatch(...args: unknown[]): boolean }>)[Symbol.for('undici.globalDispatcher.1')]!;
    let dispatched = 0;
    // A per-request dispatcher (an undici Agent or ProxyAgent in real code) that counts what it carries.
    const dispatcher = { dispatch: (...args: unknown[]) => (dispatched++, agent.dispatch(...args)) };
    const seen: Array<Record<string, unknown>> = [];
    const con = connect(graph, {
      fetch: async (input, init) => {
        const { integrity, ...rest } = (init ?? {}) as Record<string, unknown>;
        seen.push({ dispatcher: rest.dispatcher, priority: rest.priority, integrity, referrer: rest.referrer });
        return fetch(input, rest); // integrity would not match the simulator's body
      },
    });
    const extra = { dispatcher, priority: 'high' } as RequestInit;
    await con.fetch('me', extra);
    await con.get('me', extra);
    await con.fetch('me/todo/lists', { ...extra, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"displayName":"x"}' });
    expect(dispatched).toBe(3);
    await con.fetch('me', { integrity: 'sha256-abc', referrer: 'https://app.example/page' });
    await con.get('me', { referrer: '' });
    expect(seen.slice(0, 3)).toEqual(Array(3).fill({ dispatcher, priority: 'high', integrity: undefined, referrer: undefined }));
    expect(seen[3]).toMatchObject({ integrity: 'sha256-abc', referrer: 'https://app.example/page' });
    expect(seen[4]).toMatchObject({ referrer: '' });
    expect(graph.stats.requests).toBe(6);
  });
});
