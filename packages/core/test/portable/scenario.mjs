// The portable scenario: what every supported runtime must do with the built @graphwire/core.
// Plain ESM using only web-standard globals (fetch, AbortController, setTimeout, URL, JSON): no
// Node built-ins, no Deno/Bun APIs, no test framework. Runs against a @graphwire/testing simulator
// whose faults were scripted with `scriptFaults` from ./plan.mjs.
//
// `runScenario(simUrl)` never throws: it runs every step (each with its own deadline) and resolves
// to `{ ok, env, steps: [{ name, ok, ms, error? }], facts }`, so a report names the step that failed.
// `batch` is the last step on purpose: earlier steps never depend on it.
import { Connection, GraphError, StaticTokenSession, isGraphError } from '@graphwire/core';
import { PLAN, RESULT_PREFIX, TOKEN } from './plan.mjs';

const STEP_DEADLINE_MS = 10_000;

class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

function describeError(error) {
  if (error instanceof Failure) return error.message;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message})` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  return `thrown non-error: ${String(error)}`;
}

function withDeadline(promise, ms, name) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Failure(`step "${name}" did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function runtimeName() {
  const g = globalThis;
  if (g.Deno?.version?.deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun?.version) return `bun ${g.Bun.version}`;
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  if (g.process?.versions?.node && !g.window) return `node ${g.process.versions.node}`;
  if (g.navigator?.userAgent) return g.navigator.userAgent;
  return 'unknown';
}

export async function runScenario(simUrl) {
  const facts = {};
  const env = {
    runtime: runtimeName(),
    isSecureContext: typeof globalThis.isSecureContext === 'boolean' ? globalThis.isSecureContext : null,
    randomUUID: typeof globalThis.crypto?.randomUUID === 'function',
  };
  const steps = [];
  let con;

  const step = async (name, fn) => {
    const start = Date.now();
    try {
      await withDeadline(Promise.resolve().then(fn), STEP_DEADLINE_MS, name);
      steps.push({ name, ok: true, ms: Date.now() - start });
    } catch (error) {
      steps.push({ name, ok: false, ms: Date.now() - start, error: describeError(error) });
    }
  };
  const needConnection = () => check(con !== undefined, 'no Connection: the "construct" step failed');

  await step('construct', () => {
    check(typeof simUrl === 'string' && /^https?:\/\//.test(simUrl), `bad simulator URL: ${simUrl}`);
    let typo;
    try {
      new Connection({ baseUrl: `${simUrl}/v1.0`, sesion: new StaticTokenSession(TOKEN) });
    } catch (error) {
      typo = error;
    }
    check(typo instanceof TypeError, `an unknown option should throw a TypeError, got ${describeError(typo)}`);
    check(/sesion/.test(typo.message), `the TypeError should name the unknown option: ${typo.message}`);
    con = new Connection({ baseUrl: `${simUrl}/v1.0`, session: new StaticTokenSession(TOKEN), retries: { backoffBase: 10 } });
  });

  await step('get', async () => {
    needConnection();
    const me = await con.get('me').json();
    same([me.id, me.displayName], ['user-1', 'User 1'], 'GET me');
  });

  await step('post-patch', async () => {
    needConnection();
    const response = await con.post(PLAN.createPath, { json: { displayName: 'Portable' } });
    same(response.status, 201, 'POST status');
    const created = await response.json();
    check(typeof created.id === 'string' && created.id.length > 0, `POST returned no id: ${JSON.stringify(created)}`);
    const patched = await con.patch(`${PLAN.createPath}/${created.id}`, { json: { displayName: 'Portable 2' } }).json();
    same(patched.displayName, 'Portable 2', 'PATCH result');
    const read = await con.get(`${PLAN.createPath}/${created.id}`).json();
    same([read.id, read.displayName], [created.id, 'Portable 2'], 'GET after PATCH');
  });

  await step('404-graph-error', async () => {
    needConnection();
    let caught;
    try {
      await con.get('users/nobody').json();
    } catch (error) {
      caught = error;
    }
    check(caught !== undefined, 'GET users/nobody resolved; expected a GraphError');
    check(isGraphError(caught), `expected a GraphError, got ${describeError(caught)}`);
    check(caught instanceof GraphError, 'the GraphError is not an instance of the exported GraphError class');
    same([caught.status, caught.code, caught.method], [404, 'itemNotFound', 'GET'], 'GraphError status, code, method');
    check(typeof caught.requestId === 'string' && caught.requestId.length > 0, 'GraphError has no requestId');
    check(typeof caught.clientRequestId === 'string' && caught.clientRequestId.length > 0, 'GraphError has no clientRequestId');
  });

  await step('retry-post-after-503', async () => {
    needConnection();
    // The runner scripted one 503 with Retry-After for this route: the POST is sent twice, executed once.
    const response = await con.post(PLAN.retryPath, { json: { displayName: 'Retried' } });
    same(response.status, 201, 'POST after a scripted 503');
    const created = await response.json();
    same(created.displayName, 'Retried', 'created item');
    const crid = response.headers.get('client-request-id');
    check(crid, 'no client-request-id on the response');
    facts.retryClientRequestId = crid;
  });

  await step('abort', async () => {
    needConnection();
    // The runner scripted a slow answer for this route; abort it while it is in flight.
    const controller = new AbortController();
    const start = Date.now();
    const pending = con.get(PLAN.slowPath, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    let caught;
    try {
      await pending;
    } catch (error) {
      caught = error;
    }
    const ms = Date.now() - start;
    check(caught !== undefined, 'the aborted request resolved');
    check(caught?.name === 'AbortError', `expected an AbortError, got ${describeError(caught)}`);
    check(ms < PLAN.slowMs - 500, `abort took ${ms} ms: the request was not cancelled`);
  });

  await step('paginate', async () => {
    needConnection();
    const ids = [];
    for await (const user of con.paginate('users', { searchParams: { $top: PLAN.pageSize } })) ids.push(user.id);
    same(ids, Array.from({ length: PLAN.users }, (_, i) => `user-${i + 1}`), 'paged user ids');
    const round = con.paginate('users/delta', { searchParams: { $top: PLAN.pageSize } });
    let pages = 0;
    for await (const page of round.pages()) {
      check(Array.isArray(page.value), 'a delta page has no value array');
      pages += 1;
    }
    same(pages, Math.ceil(PLAN.users / PLAN.pageSize), 'delta pages');
    check(typeof round.deltaLink === 'string' && round.deltaLink.includes('/users/delta'), `no deltaLink: ${round.deltaLink}`);
  });

  // Last: con.batch and the simulator's $batch route are newer than everything above.
  await step('batch', async () => {
    needConnection();
    check(typeof con.batch === 'function', 'Connection#batch is not a function');
    const results = await con.batch([
      { id: 'me', method: 'GET', url: 'me' },
      { id: 'two', method: 'GET', url: 'users/user-2' },
      { id: 'nobody', method: 'GET', url: 'users/nobody' },
    ]);
    check(Array.isArray(results), `batch resolved to ${JSON.stringify(results)}`);
    same(results.map((r) => [r.id, r.status]), [['me', 200], ['two', 200], ['nobody', 404]], 'batch ids and statuses');
    same(results[0].body?.displayName, 'User 1', 'batch item 1 body');
    same(results[1].body?.id, 'user-2', 'batch item 2 body');
    check(results[0].error === undefined && results[1].error === undefined, 'a successful batch item carries an error');
    check(isGraphError(results[2].error), `the 404 item's error is not a GraphError: ${describeError(results[2].error)}`);
    same([results[2].error.status, results[2].error.code], [404, 'itemNotFound'], "the 404 item's error");
  });

  if (con) {
    try {
      await con.close();
    } catch (error) {
      steps.push({ name: 'close', ok: false, ms: 0, error: describeError(error) });
    }
  }
  return { ok: steps.every((s) => s.ok), env, steps, facts };
}

/** The one line a runner looks for on stdout (or in a response body). */
export function resultLine(result) {
  return RESULT_PREFIX + JSON.stringify(result);
}
