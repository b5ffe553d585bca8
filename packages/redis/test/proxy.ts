// A TCP proxy in front of a redis-server whose link can be cut and restored: a network outage
// for the clients behind it while Redis itself (and clients connected directly) keep working.
import net from 'node:net';
import { freePort } from './redis-server.js';

export interface CuttableProxy {
  readonly port: number;
  readonly url: string;
  /** Drops every connection and refuses new ones. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  /** Cuts and stops listening. */
  close(): void;
}

export async function startProxy(targetPort: number): Promise<CuttableProxy> {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let up = true;
  const server = net.createServer((a) => {
    if (!up) { a.destroy(); return; }
    const b = net.connect(targetPort, '127.0.0.1');
    sockets.add(a);
    sockets.add(b);
    a.pipe(b);
    b.pipe(a);
    const end = () => { a.destroy(); b.destroy(); sockets.delete(a); sockets.delete(b); };
    for (const s of [a, b]) { s.on('error', end); s.on('close', end); }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const proxy: CuttableProxy = {
    port,
    url: `redis://127.0.0.1:${port}`,
    cut() { up = false; for (const s of sockets) s.destroy(); sockets.clear(); },
    restore() { up = true; },
    close() { proxy.cut(); server.close(); },
  };
  return proxy;
}
