// The subset of node-redis (`redis` 5 / 6) graphwire uses, and one way to send a command that
// works for a single client and for a cluster client alike. Every command is raw (`sendCommand`),
// so no typed-command option shape of one node-redis version is relied on.
import { configError } from './errors.js';

/**
 * What graphwire needs of a client of the `redis` package: `createClient()` or `createCluster()`,
 * connected (`await client.connect()`). Declared structurally so the package imports nothing from
 * `redis` at run time; any node-redis 5 or 6 client fits.
 */
export interface RedisClientLike {
  /** True once `connect()` was called, until `close()` / `destroy()`. */
  readonly isOpen: boolean;
  /** True while the connection is usable (false while node-redis reconnects). */
  readonly isReady: boolean;
  /** node-redis's raw command call (a cluster client's takes the first key and a read-only flag first). */
  sendCommand(...args: never[]): Promise<unknown>;
  /** A new client with the same options (used for the channel's subscriber connection). */
  duplicate(): RedisClientLike;
  /** Connects; resolves to the client. */
  connect(): Promise<unknown>;
  /** Subscribes `listener` to `channel` (the client enters subscriber mode). */
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  /** Removes `listener` from `channel`. */
  unsubscribe(channel: string, listener?: (message: string, channel: string) => void): Promise<void>;
  /** Adds an event listener (`error`, `ready`, `end`). */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Removes an event listener. */
  off?(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Closes the connection after pending replies (node-redis 5+); `quit` on older clients. */
  close?(): Promise<void>;
  /** Closes the connection at once. */
  destroy?(): void;
}

const METHODS = ['sendCommand', 'duplicate', 'connect', 'subscribe', 'unsubscribe', 'on'] as const;

/** The option rule's test: a node-redis client (single or cluster), connected or not. */
export function isRedisClient(value: unknown): value is RedisClientLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return METHODS.every((m) => typeof v[m] === 'function') && typeof v.isOpen === 'boolean';
}

export const CLIENT_EXPECTED = 'a client of the `redis` package (createClient() or createCluster()), connected with `await client.connect()`';

/** Refuses a client on which `connect()` was never called (or that was closed): it would queue forever. */
export function requireOpen(owner: string, client: RedisClientLike, option = 'client'): void {
  if (!client.isOpen) {
    throw configError(`${owner}: the ${option} is not connected: call \`await ${option}.connect()\` before passing it (graphwire never opens the connection for you)`);
  }
}

/** Sends one raw command; `key` routes it on a cluster. Rejects when `signal` aborts. */
export function send(client: RedisClientLike, key: string | undefined, args: readonly string[], signal: AbortSignal): Promise<unknown> {
  const c = client as unknown as { sendCommand(...a: unknown[]): Promise<unknown> };
  return isCluster(client) ? c.sendCommand(key, false, args, { abortSignal: signal }) : c.sendCommand(args, { abortSignal: signal });
}

/** node-redis cluster clients route by key and expose their shards as `masters`. */
function isCluster(client: RedisClientLike): boolean {
  return Array.isArray((client as { masters?: unknown }).masters);
}

/** Closes a connection graphwire opened itself (the channel's own subscriber). */
export async function closeOwned(client: RedisClientLike): Promise<void> {
  if (!client.isOpen) return;
  try {
    if (client.close) await client.close();
    else client.destroy?.();
  } catch {
    client.destroy?.();
  }
}
