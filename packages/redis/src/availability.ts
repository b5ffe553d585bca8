import type { Logger } from '@graphwire/core';
import { PREFIX, reasonOf } from './errors.js';
import { send, type RedisClientLike } from './client.js';

/** Raised inside the package when a Redis call failed or timed out; callers degrade or rethrow. */
export class Unavailable extends Error {
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(reason, options);
  }
}

/** The levels the package writes: a warning per outage, an info line on recovery. */
export type RedisLogger = Pick<Logger, 'info' | 'warn'>;

export function resolveLogger(logger: Partial<Logger> | undefined): RedisLogger {
  const target: Partial<Logger> = logger ?? console;
  const level = (name: 'info' | 'warn') => (message: string) => {
    const fn = target[name];
    if (typeof fn === 'function') fn.call(target, message);
  };
  return { info: level('info'), warn: level('warn') };
}

/**
 * Every Redis call of one store or channel: a deadline per call, and the outage bookkeeping that
 * turns many failed calls into one warning (when the first fails) and one info line (when a call
 * succeeds again).
 */
export class RedisCalls {
  readonly #client: RedisClientLike;
  readonly #timeoutMs: number;
  readonly #logger: RedisLogger;
  readonly #owner: string;
  readonly #degraded: string;
  #downSince: number | undefined;

  constructor(options: { client: RedisClientLike; timeoutMs: number; logger: RedisLogger; owner: string; degraded: string }) {
    this.#client = options.client;
    this.#timeoutMs = options.timeoutMs;
    this.#logger = options.logger;
    this.#owner = options.owner;
    this.#degraded = options.degraded;
  }

  /** True between a failed call and the next successful one. */
  get down(): boolean {
    return this.#downSince !== undefined;
  }

  /**
   * Sends a raw command. Rejects with {@link Unavailable} when the client is not ready (node-redis
   * is reconnecting: failing at once beats waiting for the deadline), on a connection error, or when
   * no reply came within the deadline. Redis's own error replies (a script error) are rethrown as they are.
   */
  async send(key: string | undefined, args: readonly string[]): Promise<unknown> {
    if (!this.#client.isReady) throw this.#failed(new Unavailable(this.#client.isOpen ? 'the client is reconnecting' : 'the client was closed'));
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Unavailable(`no reply within ${this.#timeoutMs} ms`));
        controller.abort();
      }, this.#timeoutMs);
    });
    try {
      const reply = await Promise.race([send(this.#client, key, args, controller.signal), deadline]);
      this.#succeeded();
      return reply;
    } catch (error) {
      if (isServerError(error)) {
        this.#succeeded();
        throw error;
      }
      throw this.#failed(error instanceof Unavailable ? error : new Unavailable(reasonOf(error), { cause: error }));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Records an outage seen elsewhere (the subscriber connection's error event): one warning per outage. */
  markDown(reason: string): void {
    this.#failed(new Unavailable(reason));
  }

  /** Records a failure (warning once per outage) and returns it, to be thrown. */
  #failed(error: Unavailable): Unavailable {
    if (this.#downSince === undefined) {
      this.#downSince = Date.now();
      this.#logger.warn(`${PREFIX} ${this.#owner}: Redis is unavailable (${error.reason}); ${this.#degraded} until it is back`);
    }
    return error;
  }

  #succeeded(): void {
    if (this.#downSince === undefined) return;
    const ms = Date.now() - this.#downSince;
    this.#downSince = undefined;
    this.#logger.info(`${PREFIX} ${this.#owner}: Redis is available again after ${ms} ms; sharing resumed`);
  }
}

/** An error reply of the server (`ERR …`, `NOSCRIPT`, `WRONGTYPE`): Redis is up, the command is wrong. */
export function isServerError(error: unknown): boolean {
  for (let p: unknown = error; p !== null && typeof p === 'object'; p = Object.getPrototypeOf(p)) {
    if ((p as { constructor?: { name?: unknown } }).constructor?.name === 'ErrorReply') return true;
  }
  return false;
}
