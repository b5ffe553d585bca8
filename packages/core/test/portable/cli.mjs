// Entry point for runtimes with a command line (Node, Bun, Deno):
//   node cli.mjs http://127.0.0.1:PORT
//   bun cli.mjs http://127.0.0.1:PORT
//   deno run --allow-net=127.0.0.1 cli.mjs http://127.0.0.1:PORT
// Prints one result line (see scenario.mjs) and exits 1 if any step failed.
import { resultLine, runScenario } from './scenario.mjs';

const g = globalThis;
const args = g.Deno?.args ?? g.process?.argv?.slice(2) ?? [];
const result = await runScenario(args[0]);
console.log(resultLine(result));
if (!result.ok) {
  for (const s of result.steps.filter((s) => !s.ok)) console.error(`portable step "${s.name}" failed: ${s.error}`);
}
const exit = g.Deno?.exit ?? ((code) => g.process.exit(code));
exit(result.ok ? 0 : 1);
