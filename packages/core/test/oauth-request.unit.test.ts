// The OAuth request handler reads a 401's body to decide on a refresh: an abort while it downloads
// ends the request with the signal's reason, instead of reading as an empty body.
import { describe, expect, it } from 'vitest';
import { OAuthRequest } from '../src/oauth-request.js';
import type { TokenRefresher } from '../src/token-refresh.js';

const tokens = { fresh: () => 'tok', get: async () => ({ token: 'tok', expiresOn: Date.now() + 3_600_000 }), afterRejection: async () => 'tok2' } as unknown as TokenRefresher;

/** A 401 whose body never finishes, and fails (as fetch's does) once `signal` aborts. */
function stalled401(signal: AbortSignal): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"error":{"code":"InvalidAuth'));
      signal.addEventListener('abort', () => controller.error(signal.reason), { once: true });
    },
  });
  return new Response(body, { status: 401, headers: { 'content-type': 'application/json' } });
}

describe('OAuthRequest', () => {
  it("rejects with the signal's reason when the request is aborted while a 401 body downloads", async () => {
    const controller = new AbortController();
    const reason = new Error('caller deadline');
    const request = new Request('https://graph.microsoft.com/v1.0/me', { signal: controller.signal });
    const sent = new OAuthRequest(tokens).send(request, async (req) => stalled401(req.signal));
    setTimeout(() => controller.abort(reason), 20);
    await expect(sent).rejects.toBe(reason);
  });

  it('still reads an unreadable 401 body as empty when nothing was aborted', async () => {
    const request = new Request('https://graph.microsoft.com/v1.0/me');
    const broken = new Response(new ReadableStream({ start: (c) => c.error(new TypeError('terminated')) }), { status: 401 });
    const response = await new OAuthRequest(tokens).send(request, async () => broken);
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('');
  });
});
