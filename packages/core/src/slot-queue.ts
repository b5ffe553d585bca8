// A counting semaphore with a FIFO of abortable waiters; its limit may change while in use.

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
}

export class SlotQueue {
  #limit: number;
  #active = 0;
  #closed: Error | undefined;
  readonly #waiters: Waiter[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  get active(): number {
    return this.#active;
  }

  get limit(): number {
    return this.#limit;
  }

  /** Takes a slot at once if one is free and nobody is queued ahead. */
  tryTake(): boolean {
    if (this.#active >= this.#limit || this.#waiters.length > 0) return false;
    this.#active++;
    return true;
  }

  /** Waits in line for a slot; a slot is counted as taken before the promise settles. */
  take(signal: AbortSignal): Promise<void> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    if (this.tryTake()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      this.#waiters.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Counts a slot as taken whatever the limit: to keep take/release paired on an error path. */
  forceTake(): void {
    this.#active++;
  }

  release(): void {
    this.#active--;
    this.#drain();
  }

  setLimit(limit: number): void {
    this.#limit = limit;
    this.#drain();
  }

  /** Rejects every waiter, now and later; slots already taken can still be released. */
  close(reason: Error): void {
    this.#closed = reason;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
  }

  #drain(): void {
    while (this.#active < this.#limit && this.#waiters.length > 0) {
      this.#active++;
      this.#waiters.shift()!.resolve();
    }
  }
}
