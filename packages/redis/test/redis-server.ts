// A real redis-server (the Debian package) per test file: a free loopback port, no persistence,
// a throwaway directory. `stop()` and `start()` again on the same port make an outage.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Starts it (again, on the same port); resolves once it answers PING. */
  start(): Promise<void>;
  /** Kills it (SIGKILL: an outage, not a shutdown); resolves once the process is gone. */
  stop(): Promise<void>;
  /** A connected node-redis client that retries every 50 ms and logs nothing (errors are expected in outage tests). */
  client(): Promise<Client>;
  /** Stops the server, closes every client made by `client()`, removes the directory. */
  close(): Promise<void>;
}

/** A node-redis client as the tests make them: retry every 50 ms, errors swallowed (outages are expected). */
export function makeClient(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: () => 50, connectTimeout: 1000 } });
  client.on('error', () => undefined); // without a listener, a stopped server crashes the process
  return client;
}

export type Client = ReturnType<typeof makeClient>;

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(200);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => { socket.destroy(); resolve(d.toString().startsWith('+PONG')); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-redis-'));
  const clients: Client[] = [];
  let proc: ChildProcess | undefined;
  let output = '';

  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      proc = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stdout?.on('data', (d: Buffer) => { output = (output + d.toString()).slice(-4000); });
      proc.stderr?.on('data', (d: Buffer) => { output = (output + d.toString()).slice(-4000); });
      const deadline = Date.now() + 10_000;
      while (!(await answersPing(port))) {
        if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on ${port}: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      const p = proc;
      proc = undefined;
      if (!p || p.exitCode !== null) return;
      const exited = new Promise((resolve) => p.once('exit', resolve));
      p.kill('SIGKILL');
      await exited;
    },
    async client() {
      const client = makeClient(server.url);
      await client.connect();
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) if (c.isOpen) c.destroy();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
