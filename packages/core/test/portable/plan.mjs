// What the portable scenario expects of its simulator, shared by the scenario (any runtime) and
// the Node runner that starts the simulator. No imports: safe to load anywhere.

export const TOKEN = 'portable-token';

/** Starts the one line that carries a scenario's result as JSON. */
export const RESULT_PREFIX = 'GRAPHWIRE_PORTABILITY ';

export const PLAN = {
  users: 5, // startGraphSimulator({ users: PLAN.users })
  pageSize: 2, // 5 users in pages of 2: three pages
  createPath: 'me/todo/lists',
  retryPath: 'portable/retried', // one scripted 503 with Retry-After: 0, then normal
  slowPath: 'portable/slow', // answered after slowMs: the scenario aborts it after 50 ms
  slowMs: 3_000,
};

/** Scripts the faults the scenario relies on. Call after every `sim.reset()`. */
export function scriptFaults(sim) {
  sim.script(`POST /v1.0/${PLAN.retryPath}`, [{ status: 503, retryAfter: 0 }]);
  sim.script(`GET /v1.0/${PLAN.slowPath}`, [{ latencyMs: PLAN.slowMs }]);
}
