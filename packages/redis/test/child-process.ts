// The Redis tests run their fixtures in processes of their own with msal-node's test helper.
import { type Child, gone, killPid, startChild as start } from '../../msal-node/test/child-process.js';

export { type Child, gone, killPid };

/** Runs `test/fixtures/<fixture>` with `input`: JSON lines out, commands on stdin. */
export function startChild(fixture: string, input: Record<string, unknown>): Child {
  return start(input, { fixture, fixtures: new URL('./fixtures/', import.meta.url) });
}
