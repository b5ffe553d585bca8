// The transport and the scheduler together, on an injected fetch: which exchanges of an attempt
// count as in flight. The scheduler's half is in scheduler.unit.test.ts; this is the transport's
// (a 401 replay that never starts must leave its attempt nothing more to end).
import { expect, it } from 'vitest';
import type { OAuthRequest, SendOnce } from '../src/oauth-request.js';
import type { ResolvedOptions } from '../src/options.js';
import { DEFAULT_RETRY } from '../src/retry-policy.js';
import { type CallState, Transport } from '../src/transport.js';
import { CALL } from '../src/wire-request.js';
import { expectOneMoreStart, pacedHost } from './paced-host.js';

const signal = () => new AbortController().signal;

it('ends a rejected exchange once when its 401 replay is aborted while a pause holds it', async () => {
  const { scheduler, clock } = pacedHost(); // a budget of 12 per ~1 s, learned from a 429
  for (let i = 0; i < 11; i++) expect(scheduler.dispatch('h', signal())).toBeUndefined(); // 11 of the budget in flight

  const gaveUp = new AbortController();
  const oauth = {
    async send(request: Request, sendOnce: SendOnce) {
      await sendOnce(request, 'Bearer old'); // the 12th: answered 401
      scheduler.heard('h', clock.now + 500); // a peer's pause: the replay waits at dispatch
      setTimeout(() => gaveUp.abort(new Error('gave up')), 10);
      return sendOnce(request, 'Bearer new');
    },
  } as unknown as OAuthRequest;
  const options = { fetch: async () => new Response(null, { status: 401 }), debugEnabled: false, telemetry: undefined } as unknown as ResolvedOptions;
  const transport = new Transport(options, scheduler, oauth, () => true);
  const call: CallState = {
    attempt: 0, origin: 'https://h', host: 'h', bearer: true, sdkVersion: true, requestId: undefined,
    policy: { ...DEFAULT_RETRY, limit: 0 }, timeout: false, trace: undefined, beforeRetry: undefined,
  };
  const request = new Request('https://h/x', { signal: gaveUp.signal });
  await expect(transport.fetch(request, { [CALL]: call } as RequestInit)).rejects.toThrow('gave up');

  clock.now += 501;
  // 11 in flight: one more may start, and only one (the 401 ended twice would let two through).
  await expectOneMoreStart(scheduler);
});
