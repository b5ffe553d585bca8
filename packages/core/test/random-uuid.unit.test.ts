import { afterEach, describe, expect, it, vi } from 'vitest';
import { Connection, StaticTokenSession } from '@graphwire/core';
import { randomUUID, uuidFromRandomValues } from '../src/random-uuid.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What an insecure context (a page on plain http from a non-loopback name) has: no crypto.randomUUID. */
function withoutRandomUUID(): void {
  Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true, writable: true });
}

afterEach(() => {
  // The own property shadowed the prototype's method; removing it restores the platform's.
  delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID;
  vi.restoreAllMocks();
});

describe('uuidFromRandomValues', () => {
  it('formats 16 random bytes as an RFC 4122 version 4 UUID', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => uuidFromRandomValues()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(V4);
  });

  it('sets the version and variant bits whatever the random bytes are', () => {
    const fill = (byte: number) =>
      vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array) => {
        new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(byte);
        return array;
      });
    fill(0xff);
    expect(uuidFromRandomValues()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    fill(0);
    expect(uuidFromRandomValues()).toBe('00000000-0000-4000-8000-000000000000');
  });
});

describe('randomUUID', () => {
  it("uses the platform's crypto.randomUUID where it exists", () => {
    const native = vi.spyOn(globalThis.crypto, 'randomUUID');
    expect(randomUUID()).toMatch(V4);
    expect(native).toHaveBeenCalledOnce();
  });

  it('falls back to getRandomValues when crypto.randomUUID is missing', () => {
    withoutRandomUUID();
    expect(typeof globalThis.crypto.randomUUID).toBe('undefined');
    const random = vi.spyOn(globalThis.crypto, 'getRandomValues');
    expect(randomUUID()).toMatch(V4);
    expect(random).toHaveBeenCalledOnce();
  });

  it('lets Connection.get set a client-request-id without crypto.randomUUID', async () => {
    withoutRandomUUID();
    const seen: Headers[] = [];
    const con = new Connection({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      session: new StaticTokenSession('token'),
      fetch: async (_url, init) => {
        seen.push(new Headers(init?.headers));
        return new Response('{"id":"me"}', { headers: { 'content-type': 'application/json' } });
      },
    });
    await expect(con.get('me').json()).resolves.toEqual({ id: 'me' });
    expect(seen[0]?.get('client-request-id')).toMatch(V4);
    await con.close();
  });
});
