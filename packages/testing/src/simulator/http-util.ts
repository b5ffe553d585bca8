import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** Header values as one string each, with lower-case names, as tests want to read them. */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * The whole body. Rejects when the client goes away mid-body, so a half-received upload fragment
 * is never handed to a route (and never committed).
 */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
    request.on('close', () => {
      if (!request.complete) reject(new Error('The client closed the connection before the body was complete.'));
    });
  });
}

/**
 * Waits `ms`, or less if the signal aborts (the simulator closing): never rejects, so callers
 * check the signal afterwards instead of catching.
 */
export function pause(ms: number | undefined, signal: AbortSignal): Promise<void> {
  if (!ms || ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** `http://host:port`, with brackets around an IPv6 literal. */
export function originOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
