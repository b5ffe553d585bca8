import { inspect } from 'node:util';
import { expect, it } from 'vitest';
import { CountingSession, connect, simulator } from './support.js';

it('logs every attempt and refresh, and no line, error or property ever holds a token', async () => {
  const graph = await simulator();
  const session = new CountingSession();
  const lines: string[] = [];
  const sink = (level: string) => (line: string) => void lines.push(`${level} ${line}`);
  const con = connect(graph, {
    session,
    retries: { backoffBase: 10 },
    logger: { debug: sink('debug'), info: sink('info'), warn: sink('warn'), error: sink('error') },
  });
  graph.script('GET /v1.0/me', [{ status: 503 }, { status: 401 }]);
  await con.get('me').json();
  graph.revokeToken('token-2');
  const errors: unknown[] = [];
  await con.get('users/nobody').catch((e: unknown) => errors.push(e));
  await con.naive.get('users/nobody').catch((e: unknown) => errors.push(e));
  await con.get('users?tempauth=secret-query-credential').catch((e: unknown) => errors.push(e));

  expect(graph.stats.tokensSeen.length).toBeGreaterThanOrEqual(2);
  expect(lines.some((l) => /GET .*\/v1.0\/me → 503 \(attempt 1, waited \d+ ms\); retrying in \d+ ms/.test(l))).toBe(true);
  expect(lines.some((l) => /token acquired \(forced: true/.test(l))).toBe(true);
  expect(lines.some((l) => /users\/nobody → 404 \(attempt 1/.test(l))).toBe(true);
  const everything = [...lines, ...errors.map((e) => inspect(e, { depth: 8, showHidden: true })), JSON.stringify(errors)].join('\n');
  for (const token of [...graph.stats.tokensSeen, 'secret-query-credential']) expect(everything).not.toContain(token);
});
