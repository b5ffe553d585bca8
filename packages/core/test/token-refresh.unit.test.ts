// Pure orchestration logic with an in-memory session; the same behaviours are tested over sockets in auth.int.test.ts.
import { describe, expect, it } from 'vitest';
import { GraphAuthError, StaticTokenSession, isGraphAuthError, type AccessToken, type TokenRequest } from '@graphwire/core';
import { resolveLogger } from '../src/logger.js';
import { TokenRefresher } from '../src/token-refresh.js';

class CountingSession {
  calls: TokenRequest[] = [];
  constructor(private readonly lifetimeMs: number, private readonly delayMs = 5) {}
  async getAccessToken(request: TokenRequest): Promise<AccessToken> {
    this.calls.push(request);
    await new Promise((r) => setTimeout(r, this.delayMs));
    return { token: `token-${this.calls.length}`, expiresOn: Date.now() + this.lifetimeMs };
  }
}

const logger = resolveLogger(undefined);

describe('TokenRefresher', () => {
  it('shares one acquisition among 1,000 concurrent callers', async () => {
    const session = new CountingSession(3_600_000);
    const tokens = new TokenRefresher(session, ['s'], 300_000, logger);
    const results = await Promise.all(Array.from({ length: 1000 }, () => tokens.get().then((t) => t.token)));
    expect(session.calls).toHaveLength(1);
    expect(new Set(results)).toEqual(new Set(['token-1']));
    expect(session.calls[0]).toEqual({ scopes: ['s'], forceRefresh: false });
  });

  it('reuses the token until the refresh margin, then refreshes', async () => {
    const session = new CountingSession(3_600_000);
    const tokens = new TokenRefresher(session, ['s'], 300_000, logger);
    await tokens.get().then((t) => t.token);
    expect(tokens.fresh()).toBe('token-1');
    const nearExpiry = new CountingSession(200_000); // inside the 5 min margin from the start
    const t2 = new TokenRefresher(nearExpiry, ['s'], 300_000, logger);
    await t2.get();
    expect(t2.fresh()).toBeUndefined();
    await t2.get();
    expect(nearExpiry.calls).toHaveLength(2);
  });

  it('after a rejection refreshes once, however many callers saw the 401', async () => {
    const session = new CountingSession(3_600_000);
    const tokens = new TokenRefresher(session, ['s'], 300_000, logger);
    const first = await tokens.get().then((t) => t.token);
    const next = await Promise.all(Array.from({ length: 50 }, () => tokens.afterRejection(first, undefined)));
    expect(new Set(next)).toEqual(new Set(['token-2']));
    expect(session.calls.map((c) => c.forceRefresh)).toEqual([false, true]);
    // A late 401 for the old token reuses the replacement.
    expect(await tokens.afterRejection(first, undefined)).toBe('token-2');
    expect(session.calls).toHaveLength(2);
  });

  it('passes claims from a challenge and forces the refresh', async () => {
    const session = new CountingSession(3_600_000);
    const tokens = new TokenRefresher(session, ['s'], 300_000, logger);
    await tokens.afterRejection('old', '{"access_token":{"nbf":{"essential":true}}}');
    expect(session.calls[0]).toMatchObject({ forceRefresh: true, claims: '{"access_token":{"nbf":{"essential":true}}}' });
  });

  it('wraps a failing session in GraphAuthError with the cause kept', async () => {
    const boom = new Error('network down');
    const tokens = new TokenRefresher({ getAccessToken: () => Promise.reject(boom) }, ['s'], 0, logger);
    const error = await tokens.get().then((t) => t.token).catch((e: unknown) => e);
    expect(isGraphAuthError(error)).toBe(true);
    expect(error).toBeInstanceOf(GraphAuthError);
    expect((error as GraphAuthError).cause).toBe(boom);
    expect((error as GraphAuthError).message).toMatch(/^\[@graphwire\/core\] the session could not acquire an access token/);
  });

  it('rejects a session result without a token', async () => {
    for (const bad of [undefined, {}, { token: '', expiresOn: 1 }, { token: 'x', expiresOn: Number.NaN }]) {
      const tokens = new TokenRefresher({ getAccessToken: async () => bad as never }, ['s'], 0, logger);
      await expect(tokens.get().then((t) => t.token)).rejects.toMatchObject({ name: 'GraphAuthError', errorCode: 'invalid_token_response' });
    }
  });

  it('explains a missing session', async () => {
    const tokens = new TokenRefresher(undefined, ['s'], 0, logger);
    await expect(tokens.get().then((t) => t.token)).rejects.toMatchObject({ errorCode: 'no_session', message: expect.stringContaining('pass `session`') });
  });

  it('lets one caller stop waiting without cancelling the shared acquisition', async () => {
    const session = new CountingSession(3_600_000, 50);
    const tokens = new TokenRefresher(session, ['s'], 0, logger);
    const controller = new AbortController();
    const abandoned = tokens.get({ signal: controller.signal });
    const kept = tokens.get();
    controller.abort(new Error('stop'));
    await expect(abandoned).rejects.toThrow('stop');
    await expect(kept).resolves.toMatchObject({ token: 'token-1' });
  });
});

describe('StaticTokenSession', () => {
  it('serves a fixed string, an AccessToken, or a callback', async () => {
    const request = { scopes: ['s'] };
    expect((await new StaticTokenSession('abc').getAccessToken(request)).token).toBe('abc');
    expect(await new StaticTokenSession({ token: 'x', expiresOn: 5 }).getAccessToken(request)).toEqual({ token: 'x', expiresOn: 5 });
    expect((await new StaticTokenSession(async (r) => `for-${r.scopes[0]}`).getAccessToken(request)).token).toBe('for-s');
  });

  it('rejects an empty token', () => {
    expect(() => new StaticTokenSession('')).toThrow('[@graphwire/core] StaticTokenSession needs a non-empty token string');
  });
});
