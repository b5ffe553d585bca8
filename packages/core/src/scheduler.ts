// Connection-wide admission of request attempts: python-o365's `requests_delay` (spacing between
// starts), a concurrency cap, and a per-host pause after a 429 so a throttled app stops hammering.
import { sleep } from './abortable-sleep.js';

export interface SchedulerOptions {
  requestsDelay: number;
  maxConcurrency: number;
  now?: () => number;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
}

export class Scheduler {
  readonly #delay: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #pausedUntil = new Map<string, number>();
  readonly #queue: Waiter[] = [];
  #active = 0;
  #nextStart = 0;
  #closed: Error | undefined;

  constructor(options: SchedulerOptions) {
    this.#delay = options.requestsDelay;
    this.#max = options.maxConcurrency;
    this.#now = options.now ?? Date.now;
  }

  /** Holds new attempts to `host` for `ms`; a longer pause already in force wins. */
  pause(host: string, ms: number): void {
    const until = this.#now() + ms;
    if (until > (this.#pausedUntil.get(host) ?? 0)) this.#pausedUntil.set(host, until);
  }

  /** Milliseconds left in the host's pause (0 when not paused). */
  pausedFor(host: string): number {
    const until = this.#pausedUntil.get(host);
    if (until === undefined) return 0;
    const left = until - this.#now();
    if (left > 0) return left;
    this.#pausedUntil.delete(host);
    return 0;
  }

  /**
   * Takes a slot for one attempt to `host`. Returns `undefined` when the attempt may start at once
   * (the hot path allocates nothing), else a promise that settles when it may. Pair with `release()`.
   */
  admit(host: string, signal: AbortSignal): Promise<void> | undefined {
    if (this.#closed) return Promise.reject(this.#closed);
    if (this.#delay === 0 && this.#active < this.#max && this.#queue.length === 0 && this.pausedFor(host) === 0) {
      this.#active++;
      return undefined;
    }
    return this.#admitLater(host, signal);
  }

  release(): void {
    const next = this.#queue.shift();
    if (next) next.resolve();
    else this.#active--;
  }

  /** Rejects every waiting attempt; in-flight attempts finish. */
  close(reason: Error): void {
    this.#closed = reason;
    for (const waiter of this.#queue.splice(0)) waiter.reject(reason);
  }

  async #admitLater(host: string, signal: AbortSignal): Promise<void> {
    // The pause may be extended by another 429 while we wait, hence the loop.
    for (let wait = this.pausedFor(host); wait > 0; wait = this.pausedFor(host)) await sleep(wait, signal);
    if (this.#active < this.#max && this.#queue.length === 0) this.#active++;
    else await this.#enqueue(signal); // release() hands its slot straight over
    if (this.#delay === 0) return;
    const now = this.#now();
    const start = Math.max(now, this.#nextStart);
    this.#nextStart = start + this.#delay;
    if (start > now) {
      try {
        await sleep(start - now, signal);
      } catch (error) {
        this.release();
        throw error;
      }
    }
  }

  #enqueue(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      this.#queue.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
