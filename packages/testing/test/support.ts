// Shared set-up for the simulator's own tests: plain fetch over real sockets, so they pin the
// simulator's behaviour rather than a client's.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startGraphSimulator, type GraphSimulator, type GraphSimulatorOptions } from '@graphwire/testing';

export const auth = { authorization: 'Bearer test-token' };

const started: GraphSimulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

/** A simulator of its own for a scenario that needs special options; closed after the test. */
export async function simulator(options?: GraphSimulatorOptions): Promise<GraphSimulator> {
  const sim = await startGraphSimulator(options);
  started.push(sim);
  return sim;
}

/** One simulator for the whole file, started before its tests and reset before each one. */
export function useSharedSimulator(assign: (sim: GraphSimulator) => void): void {
  let sim: GraphSimulator | undefined;
  beforeAll(async () => {
    assign((sim = await startGraphSimulator()));
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(() => {
    sim?.reset();
  });
}
