import { describe, expect, it } from 'vitest';
import { joinPrefer, mergeHeaders, normalizeHeaders } from '../src/headers.js';

describe('headers', () => {
  const defaults = normalizeHeaders({ Prefer: 'outlook.timezone="UTC"', 'X-App': 'a' });

  it('lower-cases names once', () => {
    expect(defaults).toEqual({ prefer: 'outlook.timezone="UTC"', 'x-app': 'a' });
    expect(normalizeHeaders(new Headers({ 'X-One': '1' }))).toEqual({ 'x-one': '1' });
    expect(normalizeHeaders([['X-Two', '2']])).toEqual({ 'x-two': '2' });
  });

  it('reads any iterable of pairs as new Headers() does: a Map, another Headers implementation', () => {
    const foreign = { *[Symbol.iterator]() { yield ['X-Three', '3'] as const; } }; // npm undici's Headers, another realm's
    expect(normalizeHeaders(new Map([['X-One', '1']]) as unknown as HeadersInit)).toEqual({ 'x-one': '1' });
    expect(normalizeHeaders(foreign as unknown as HeadersInit)).toEqual({ 'x-three': '3' });
    expect(mergeHeaders(defaults, new Map([['Prefer', 'return=minimal']]) as unknown as HeadersInit).prefer).toBe('outlook.timezone="UTC", return=minimal');
  });

  it("joins a caller's Prefer with the default's", () => {
    expect(mergeHeaders(defaults, { Prefer: 'odata.maxpagesize=5' }).prefer).toBe('outlook.timezone="UTC", odata.maxpagesize=5');
  });

  it('lets the caller override a preference of the same name', () => {
    expect(joinPrefer('outlook.timezone="UTC", return=minimal', 'outlook.timezone="Pacific Standard Time"')).toBe(
      'return=minimal, outlook.timezone="Pacific Standard Time"',
    );
  });

  it('overrides other headers and removes one set to undefined', () => {
    expect(mergeHeaders(defaults, { 'x-app': 'b' })['x-app']).toBe('b');
    expect(mergeHeaders(defaults, { 'X-App': undefined })).not.toHaveProperty('x-app');
    expect(mergeHeaders(defaults, new Headers({ 'x-other': '1' }))).toMatchObject({ 'x-other': '1', 'x-app': 'a' });
  });

  it('never mutates the defaults', () => {
    mergeHeaders(defaults, { Prefer: 'x=1', 'x-app': 'c' });
    expect(defaults).toEqual({ prefer: 'outlook.timezone="UTC"', 'x-app': 'a' });
  });
});
