// A caller's deadline (AbortSignal.timeout, AbortSignal.any, abort(reason)) ends a request with the
// signal's own reason in every phase, is never retried, and is never mistaken for the connection's
// per-attempt timeout (ky's TimeoutError, which carries a request).
import { isTimeoutError } from 'ky';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessToken, Connection } from '@graphwire/core';
import type { GraphSimulator } from '@graphwire/testing';
import { connect, simulator } from './support.js';

const DEADLINE = 250;
const LONG = 20_000; // far beyond any deadline here: a phase that ends early was cut by the signal

/** A session whose token takes longer than any deadline here. */
const slowSession = {
  getAccessToken: () => new Promise<AccessToken>((r) => setTimeout(() => r({ token: 'late', expiresOn: Date.now() + 3_600_000 }), 3_000)),
};

/** Waits until a debug line matching `pattern` was logged (the client has acted on a response). */
async function logged(lines: string[], pattern: string): Promise<void> {
  while (!lines.some((line) => line.includes(pattern))) await new Promise((r) => setTimeout(r, 5));
}

interface Phase {
  name: string;
  /** Starts the request under `signal`; resolves to what the caller awaits. */
  run(graph: GraphSimulator, signal: AbortSignal): Promise<unknown>;
  /** Requests the simulator may see in total: a retry would show as one more. */
  requests: number;
}

const phases: Phase[] = [
  {
    name: 'queued behind a 429 pause',
    requests: 1,
    async run(graph, signal) {
      const lines: string[] = [];
      const con = connect(graph, { logger: { debug: (line) => lines.push(line) } });
      graph.script('GET /v1.0/me', [{ status: 429, retryAfter: 30 }]);
      void con.get('me').catch(() => undefined); // throttles the host for 30 s
      await logged(lines, '→ 429');
      return con.get('users', { signal });
    },
  },
  {
    name: 'in a Retry-After wait',
    requests: 1,
    run: (graph, signal) => {
      graph.script('GET /v1.0/me', [{ status: 503, retryAfter: 30 }]);
      return connect(graph).get('me', { signal });
    },
  },
  {
    name: 'in backoff after a 500',
    requests: 1,
    run: (graph, signal) => {
      graph.script('GET /v1.0/me', [{ status: 500 }]);
      return connect(graph, { retries: { backoffBase: LONG, backoffLimit: LONG } }).get('me', { signal });
    },
  },
  {
    name: "waiting for headers within the connection's timeout",
    requests: 1,
    run: (graph, signal) => {
      graph.script('GET /v1.0/me', [{ latencyMs: 3_000 }]);
      return connect(graph, { timeout: LONG, retries: { retryOnTimeout: true } }).get('me', { signal });
    },
  },
  {
    name: 'waiting for headers without a connection timeout',
    requests: 1,
    run: (graph, signal) => {
      graph.script('GET /v1.0/me', [{ latencyMs: 3_000 }]);
      return connect(graph, { timeout: false }).get('me', { signal });
    },
  },
  {
    name: 'a POST waiting for headers',
    requests: 1,
    run: (graph, signal) => {
      graph.script('POST /v1.0/me/todo/lists', [{ latencyMs: 3_000 }]);
      return connect(graph).post('me/todo/lists', { json: { displayName: 'x' }, signal });
    },
  },
  {
    name: 'a naive GET waiting for headers',
    requests: 1,
    run: (graph, signal) => {
      graph.script('GET /v1.0/me', [{ latencyMs: 3_000 }]);
      return connect(graph).naive.get('me', { signal });
    },
  },
  {
    name: 'waiting for a slow token',
    requests: 0,
    run: (graph, signal) => connect(graph, { session: slowSession }).get('me', { signal }),
  },
  {
    name: 'downloading the body of .json()',
    requests: 1,
    run: (graph, signal) => {
      // Fewer bytes than Content-Length promises: the body never completes.
      graph.script('GET /v1.0/me', [{ status: 200, contentType: 'application/json', body: '{"value":[', headers: { 'content-length': '100000' }, execute: false }]);
      return connect(graph).get('me', { signal }).json();
    },
  },
  {
    name: 'downloading the body of an error response',
    requests: 1,
    run: (graph, signal) => {
      // Without the signal's reason, this came out as a GraphError without a body.
      graph.script('GET /v1.0/me', [{ status: 400, contentType: 'application/json', body: '{"error":{"code":"x"', headers: { 'content-length': '100000' } }]);
      return connect(graph).get('me', { signal });
    },
  },
  {
    name: "downloading a 401's challenge body",
    requests: 1,
    run: (graph, signal) => {
      graph.script('GET /v1.0/me', [{ status: 401, contentType: 'application/json', body: '{"error":{"code":"InvalidAuth', headers: { 'content-length': '100000' } }]);
      return connect(graph).get('me', { signal });
    },
  },
  {
    name: 'paginate waiting for its second page',
    requests: 2,
    async run(graph, signal) {
      graph.script('GET /v1.0/users', [{}, { latencyMs: 3_000 }]);
      const seen: unknown[] = [];
      for await (const user of connect(graph).paginate('users', { signal, searchParams: { $top: 2 } })) seen.push(user);
      return seen;
    },
  },
];

class CustomReason extends Error {
  override name = 'CustomReason';
}

interface Deadline {
  name: string;
  make(): { signal: AbortSignal; check(error: unknown, signal: AbortSignal): void };
}

function expectTimeoutReason(error: unknown, signal: AbortSignal): void {
  expect(error).toBe(signal.reason);
  expect(error).toBeInstanceOf(DOMException);
  expect((error as DOMException).name).toBe('TimeoutError');
  expect((error as { request?: unknown }).request).toBeUndefined();
}

const kept: unknown[] = [];
afterEach(() => {
  kept.length = 0;
});

const deadlines: Deadline[] = [
  { name: 'AbortSignal.timeout', make: () => ({ signal: AbortSignal.timeout(DEADLINE), check: expectTimeoutReason }) },
  {
    name: 'AbortSignal.any',
    make() {
      // Node 20 may collect a timeout signal that only AbortSignal.any refers to, and it then never
      // fires: the test keeps its sources alive, as a caller holding them would.
      const sources = [new AbortController().signal, AbortSignal.timeout(DEADLINE)];
      kept.push(sources);
      return { signal: AbortSignal.any(sources), check: expectTimeoutReason };
    },
  },
  {
    name: 'abort(custom Error)',
    make() {
      const controller = new AbortController();
      const reason = new CustomReason('gave up');
      setTimeout(() => controller.abort(reason), DEADLINE);
      return { signal: controller.signal, check: (error) => expect(error).toBe(reason) };
    },
  },
  {
    name: 'abort(a string)',
    make() {
      const controller = new AbortController();
      setTimeout(() => controller.abort('gave up'), DEADLINE);
      return { signal: controller.signal, check: (error) => expect(error).toBe('gave up') };
    },
  },
];

describe("a caller's deadline", () => {
  for (const phase of phases) {
    for (const deadline of deadlines) {
      it(`${phase.name}, ${deadline.name}: rejects with the signal's reason, not retried`, async () => {
        const graph = await simulator();
        const { signal, check } = deadline.make();
        const error = await phase.run(graph, signal).then(
          () => { throw new Error('resolved instead of rejecting'); },
          (e: unknown) => e,
        );
        check(error, signal);
        // Give a wrongly scheduled retry time to reach the server.
        await new Promise((r) => setTimeout(r, 100));
        expect(graph.stats.requests).toBeLessThanOrEqual(phase.requests);
      });
    }
  }

  it("is told apart from the connection's per-attempt timeout", async () => {
    const graph = await simulator();
    graph.script('GET /v1.0/me', [{ latencyMs: 3_000 }, { latencyMs: 3_000 }]);
    const lines: string[] = [];
    const logger = { debug: (line: string) => lines.push(line) };
    const con: Connection = connect(graph, { timeout: 150, retries: 0, logger });
    // The connection's timeout fires first: ky's TimeoutError, with its (redacted) request.
    const own = await con.get('me', { signal: AbortSignal.timeout(LONG) }).catch((e: unknown) => e);
    expect(isTimeoutError(own)).toBe(true);
    expect(own).not.toBeInstanceOf(DOMException);
    expect((own as { request?: Request }).request).toBeInstanceOf(Request);
    // The caller's deadline fires first: its DOMException.
    const signal = AbortSignal.timeout(100);
    const theirs = await connect(graph, { timeout: LONG, logger }).get('me', { signal }).catch((e: unknown) => e);
    expectTimeoutReason(theirs, signal);
    // The debug log says whose deadline it was.
    expect(lines.filter((line) => line.includes('→ TimeoutError'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('→ aborted by the caller'))).toHaveLength(1);
  });
});
