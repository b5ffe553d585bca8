// Shared set-up for integration tests: a real simulator on loopback and a Connection pointed at it.
import { afterEach } from 'vitest';
import { Connection, StaticTokenSession, type AccessToken, type ConnectionOptions, type TokenRequest } from '@graphwire/core';
import { startGraphSimulator, type GraphSimulator, type GraphSimulatorOptions } from '@graphwire/testing';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()));
});

export async function simulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const graph = await startGraphSimulator(options);
  cleanups.push(() => graph.close());
  return graph;
}

export function connect(graph: GraphSimulator, options: ConnectionOptions = {}): Connection {
  const con = new Connection({ baseUrl: `${graph.url}/v1.0`, session: new StaticTokenSession('static-token'), ...options });
  cleanups.push(() => con.close());
  return con;
}

/** A session that mints numbered tokens and counts how often it was asked. */
export class CountingSession {
  readonly requests: TokenRequest[] = [];
  constructor(public lifetimeMs = 3_600_000, public delayMs = 20) {}
  async getAccessToken(request: TokenRequest): Promise<AccessToken> {
    this.requests.push(request);
    await new Promise((r) => setTimeout(r, this.delayMs));
    return { token: `token-${this.requests.length}`, expiresOn: Date.now() + this.lifetimeMs };
  }
}

export const elapsed = (start: number) => performance.now() - start;
