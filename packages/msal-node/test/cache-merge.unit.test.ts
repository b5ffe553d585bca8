import { describe, expect, it } from 'vitest';
import { mergeSerializedCaches } from '../src/cache-merge.js';

const doc = (sections: Record<string, Record<string, unknown>>) => JSON.stringify(sections);

describe('mergeSerializedCaches', () => {
  it('keeps what another process added, applies what this one changed, drops what it removed', () => {
    const loaded = doc({ Account: { a: 1, b: 1 }, RefreshToken: { ra: 'old' } });
    const base = doc({ Account: { a: 1, b: 1, c: 1 }, RefreshToken: { ra: 'old', rc: 'x' } });
    const mine = doc({ Account: { a: 1, d: 1 }, RefreshToken: { ra: 'new' } });
    expect(JSON.parse(mergeSerializedCaches(base, loaded, mine))).toEqual({
      Account: { a: 1, c: 1, d: 1 }, RefreshToken: { ra: 'new', rc: 'x' },
    });
  });

  it('does not put back an entry another process rotated when this one did not touch it', () => {
    const loaded = doc({ RefreshToken: { r: 'v1' }, Account: {} });
    const base = doc({ RefreshToken: { r: 'v2' }, Account: {} });
    const mine = doc({ RefreshToken: { r: 'v1' }, Account: { me: 1 } });
    expect(JSON.parse(mergeSerializedCaches(base, loaded, mine))).toEqual({ RefreshToken: { r: 'v2' }, Account: { me: 1 } });
  });

  it('starts from nothing when there is no file yet', () => {
    expect(JSON.parse(mergeSerializedCaches(undefined, undefined, doc({ Account: { a: 1 } })))).toEqual({ Account: { a: 1 } });
  });
});
