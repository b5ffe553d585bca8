// Portability: the built @graphwire/core (packages/core/dist, as published) runs one scenario
// (portable/scenario.mjs: construct, GET, POST/PATCH, a 404 as GraphError, a POST retried after a
// scripted 503, abort, paginate, batch) unchanged on every runtime the README lists, each against
// a simulator started here. The runtimes are pinned in scripts/portable-runtimes.mjs and installed
// from the npm registry into a cache on first use (~20 s); afterwards each runs in about a second.
// Needs the build that `npm test` runs first (alone: `PKG=core npm run build`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphSimulator, type GraphSimulator } from '@graphwire/testing';
import { RUNTIMES, ensureRuntimes, type InstalledRuntime, type RuntimeName } from '../../../scripts/portable-runtimes.mjs';
import { PLAN, TOKEN, scriptFaults } from './portable/plan.mjs';
import {
  INSECURE_HOST,
  WORKERD_MINIMUM_DATE,
  assertCoreBuilt,
  runCommand,
  startChromium,
  startWorkerd,
  workerdAtDate,
  type Browser,
  type ScenarioResult,
  type Workerd,
} from './portable/drivers.js';

const CLI = 'packages/core/test/portable/cli.mjs';
const STEPS = ['construct', 'get', 'post-patch', '404-graph-error', 'retry-post-after-503', 'abort', 'paginate', 'batch'];

let runtimes: Record<RuntimeName, InstalledRuntime>;

beforeAll(async () => {
  const stale = assertCoreBuilt();
  if (stale) console.warn(`[portability] ${stale}`);
  runtimes = await ensureRuntimes(undefined, { log: (line) => console.log(`[portability] ${line}`) });
}, 600_000);

/** Everything wrong with one run: failed steps by name, then what the simulator saw. */
function problemsOf(result: ScenarioResult, sim: GraphSimulator): string[] {
  const problems = result.steps.filter((s) => !s.ok).map((s) => `step "${s.name}" failed: ${s.error}`);
  const names = result.steps.map((s) => s.name);
  if (STEPS.some((name) => !names.includes(name))) problems.push(`steps run: ${names.join(', ')}; expected ${STEPS.join(', ')}`);
  const passed = (name: string) => result.steps.some((s) => s.name === name && s.ok);

  if (passed('retry-post-after-503')) {
    const crid = result.facts.retryClientRequestId ?? '';
    const seen = { attempts: sim.stats.attempts[crid], executions: sim.stats.executions[crid] };
    if (seen.attempts !== 2 || seen.executions !== 1) {
      problems.push(`the retried POST should arrive twice and execute once, got ${JSON.stringify(seen)}`);
    }
  }
  if (passed('paginate') && sim.stats.byRoute['GET /v1.0/users'] !== Math.ceil(PLAN.users / PLAN.pageSize)) {
    problems.push(`paginate fetched ${sim.stats.byRoute['GET /v1.0/users']} pages of /users`);
  }
  if (JSON.stringify(sim.stats.tokensSeen) !== JSON.stringify([TOKEN])) {
    problems.push(`tokens seen by the simulator: ${JSON.stringify(sim.stats.tokensSeen)}`);
  }
  return problems;
}

/**
 * Starts a simulator, runs the scenario through `run`, checks that it ran where it should
 * (`env`: runtime name, secure context) and that every step passed.
 */
async function expectScenarioPasses(
  run: (simUrl: string) => Promise<ScenarioResult>,
  env: Partial<ScenarioResult['env']>,
): Promise<ScenarioResult> {
  const sim = await startGraphSimulator({ users: PLAN.users });
  try {
    scriptFaults(sim);
    const result = await run(sim.url);
    expect(result.env, 'where the scenario ran').toMatchObject(env);
    const summary = result.steps.map((s) => `${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.ms} ms)`).join('\n');
    expect(problemsOf(result, sim), `${result.env.runtime}\n${summary}`).toEqual([]);
    return result;
  } finally {
    await sim.close();
  }
}

async function onCommand(name: RuntimeName, runtime: string, args: string[], env: Record<string, string> = {}) {
  const { bin } = runtimes[name];
  await expectScenarioPasses(
    async (simUrl) => {
      const { result, code } = await runCommand(bin, [...args, simUrl], { env });
      expect(code, 'exit code: 0 when every step passed, else 1').toBe(result.ok ? 0 : 1);
      return result;
    },
    { runtime },
  );
}

describe('the built core runs the portable scenario', () => {
  for (const name of ['node20', 'node22', 'node24'] as const) {
    it(`on Node ${RUNTIMES[name].version}`, () => onCommand(name, `node ${RUNTIMES[name].version}`, [CLI]), 60_000);
  }

  it(`on Bun ${RUNTIMES.bun.version}`, () => onCommand('bun', `bun ${RUNTIMES.bun.version}`, ['--no-install', CLI]), 60_000);

  it(`on Deno ${RUNTIMES.deno.version} with --allow-net=127.0.0.1 only`, () => {
    const args = ['run', '--allow-net=127.0.0.1', '--no-prompt', '--cached-only', CLI]; // --cached-only: never a download
    return onCommand('deno', `deno ${RUNTIMES.deno.version}`, args, { DENO_NO_UPDATE_CHECK: '1' });
  }, 60_000);

  describe(`on workerd ${RUNTIMES.workerd.version} (module worker, no nodejs_compat, loopback only)`, () => {
    let workerd: Workerd;
    beforeAll(async () => {
      workerd = await startWorkerd(runtimes.workerd.bin, runtimes.workerd.version);
    }, 60_000);
    afterAll(() => workerd?.close());

    for (const which of ['minimum', 'current'] as const) {
      it(`at the ${which} compatibility date`, async () => {
        await expectScenarioPasses((simUrl) => workerd.run(which, simUrl), { runtime: 'workerd' });
      }, 60_000);
    }

    it(`refuses the bundle at a compatibility date before ${WORKERD_MINIMUM_DATE} (the README's minimum)`, async () => {
      // ky constructs a ReadableStream when imported: that needs streams_enable_constructors, on from 2022-11-30.
      const { exit, log } = await workerdAtDate(runtimes.workerd.bin, '2022-11-29');
      expect(exit).toBe(1);
      expect(log).toContain('streams_enable_constructors');
    }, 30_000);
  });

  describe("in Debian's Chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await startChromium();
    }, 60_000);
    afterAll(() => browser?.close());

    it('on a secure page (http://127.0.0.1)', async () => {
      await expectScenarioPasses((simUrl) => browser.run('secure', simUrl), { isSecureContext: true, randomUUID: true });
    }, 60_000);

    it(`on a plain-http page that is not a secure context (http://${INSECURE_HOST}, no crypto.randomUUID)`, async () => {
      await expectScenarioPasses((simUrl) => browser.run('insecure', simUrl), { isSecureContext: false, randomUUID: false });
    }, 60_000);
  });
});
