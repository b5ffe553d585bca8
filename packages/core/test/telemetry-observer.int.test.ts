// A custom telemetry observer cannot change a request's outcome, whatever its `run` does.
import { describe, expect, it, vi } from 'vitest';
import type { RequestOutcome } from '@graphwire/core';
import { connect, simulator } from './support.js';

type Run = (fn: () => unknown) => unknown;

const runs: Array<[string, Run]> = [
  ['throws after calling fn', (fn) => { fn(); throw new Error('observer bug'); }],
  ['throws before calling fn', () => { throw new Error('observer bug'); }],
  ['returns nothing', (fn) => { fn(); }],
  ['is async and rejects after calling fn', async (fn) => { fn(); await Promise.resolve(); throw new Error('observer bug'); }],
  ['returns something else', (fn) => (fn(), Promise.resolve('not the response'))],
  ['never calls fn', () => undefined],
  ['calls fn twice', (fn) => (fn(), fn())],
  ['calls fn later as well', (fn) => (setTimeout(fn, 0), fn())],
];

describe("a telemetry observer's run()", () => {
  it.each(runs)('that %s leaves the request as it is: sent once, its own response', async (_name, run) => {
    const graph = await simulator();
    const ends: RequestOutcome[] = [];
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const con = connect(graph, { telemetry: { request: () => ({ end: (outcome) => void ends.push(outcome), run: run as never }) } });
      await expect(con.get('me').json()).resolves.toMatchObject({ id: 'user-1' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(graph.stats.requests).toBe(1);
      expect(ends).toMatchObject([{ status: 200, attempts: 1 }]);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it("keeps the request's own synchronous error (a GET with a body) and reports it once", async () => {
    const graph = await simulator();
    const ends: RequestOutcome[] = [];
    const con = connect(graph, { telemetry: { request: () => ({ end: (outcome) => void ends.push(outcome), run: (fn) => fn() }) } });
    expect(() => con.get('me', { body: 'x' })).toThrow(TypeError);
    expect(ends).toHaveLength(1);
    expect(ends[0]!.error).toBeInstanceOf(TypeError);
    expect(graph.stats.requests).toBe(0);
  });
});
