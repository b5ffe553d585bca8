// Only against the local simulator, whose throttle budget makes Graph's 429s happen on demand.
import type { Connection } from '@graphwire/core';
import type { GraphSimulator } from '@graphwire/testing';

export interface ThrottleDemoResult {
  requests: number;
  /** 429 answers the simulator sent during the burst. */
  tooManyRequests: number;
  ms: number;
}

/**
 * 60 GETs, one every 10 ms, against a budget of 20 per second. The first 429 pauses the whole
 * connection until its Retry-After and the connection paces to the budget it revealed, so the
 * requests started meanwhile wait instead of each drawing its own 429; every request still succeeds.
 */
export async function throttleBurst(con: Connection, simulator: Pick<GraphSimulator, 'stats'>, print: (line: string) => void): Promise<ThrottleDemoResult> {
  const requests = 60;
  const before = simulator.stats.throttled;
  const started = Date.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < requests; i++) {
    pending.push(con.get(`users/user-${(i % 20) + 1}`).json());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  const result = { requests, tooManyRequests: simulator.stats.throttled - before, ms: Date.now() - started };
  print(`Throttling: ${requests} requests under a 20/s budget took ${result.ms} ms; the simulator sent ${result.tooManyRequests} × 429${result.tooManyRequests > 0 ? ', all retried' : ''}`);
  return result;
}
