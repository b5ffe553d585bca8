import { AsyncLocalStorage } from 'node:async_hooks';
import { KeyedMutex } from '@graphwire/core';
import lockfile from 'proper-lockfile';
import { storeError } from './errors.js';

/**
 * One lock per file, shared by every process: proper-lockfile (an atomic `mkdir` of `<file>.lock`,
 * kept fresh while held, taken over when stale, so a crashed holder cannot block others forever).
 *
 * Re-entrant within one async call chain: the session holds the lock around "reload cache,
 * maybe refresh", and MSAL's cache plugin asks for the same lock again when it saves inside that
 * call. Callers in the same process queue in memory first, so they do not poll the file system.
 */
export class FileLock {
  readonly #held = new AsyncLocalStorage<Set<string>>();
  readonly #queue = new KeyedMutex();
  readonly #staleMs: number;
  readonly #timeoutMs: number;

  constructor(options: { staleMs?: number; timeoutMs?: number } = {}) {
    this.#staleMs = options.staleMs ?? 10_000;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async run<T>(file: string, fn: () => Promise<T>): Promise<T> {
    const held = this.#held.getStore();
    if (held?.has(file)) return fn();
    return this.#queue.run(file, () => this.#runLocked(file, held, fn));
  }

  async #runLocked<T>(file: string, held: Set<string> | undefined, fn: () => Promise<T>): Promise<T> {
    let compromised: Error | undefined;
    const release = await this.#acquire(file, (error) => { compromised = error; });
    try {
      return await this.#held.run(new Set([...(held ?? []), file]), fn);
    } finally {
      await release().catch(() => undefined);
      if (compromised) {
        // Another process took the lock over as stale while we held it: say so instead of hiding a possible lost update.
        // eslint-disable-next-line no-unsafe-finally
        throw storeError('lock_compromised', `the lock on ${file} was taken over while held (a step took longer than ${this.#staleMs} ms); retry the operation`, compromised);
      }
    }
  }

  async #acquire(file: string, onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      try {
        return await lockfile.lock(file, { realpath: false, stale: this.#staleMs, update: this.#staleMs / 2, onCompromised });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
          throw storeError('lock_failed', `cannot create the lock ${file}.lock: check that its directory is writable`, error);
        }
        if (Date.now() > deadline) {
          throw storeError('lock_timeout', `${file} stayed locked by another process for ${this.#timeoutMs} ms; if no other process uses it, delete ${file}.lock`, error);
        }
        // Jitter so that processes released at the same instant do not retry in lockstep.
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 25));
      }
    }
  }
}
