// Entry point for workerd (a module worker, bundled with esbuild): GET /?sim=http://127.0.0.1:PORT
// runs the scenario and answers with the result line (status 200 if every step passed, else 500).
import { resultLine, runScenario } from './scenario.mjs';

export default {
  async fetch(request) {
    const sim = new URL(request.url).searchParams.get('sim');
    if (!sim) return new Response('missing ?sim=', { status: 400 });
    const result = await runScenario(sim);
    return new Response(resultLine(result), {
      status: result.ok ? 200 : 500,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  },
};
