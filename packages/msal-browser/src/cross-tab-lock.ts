import type { KeyValueBackend } from './key-value-backend.js';

/** Runs `fn` while no other tab (or caller in this tab) holds the lock `name`. */
export type LockRunner = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** The Web Locks API: released by the browser when the holder's tab closes or navigates away. */
export function webLocks(): LockRunner | undefined {
  const locks = typeof navigator === 'undefined' ? undefined : (navigator as Partial<Navigator>).locks;
  if (typeof locks?.request !== 'function') return undefined;
  return <T>(name: string, fn: () => Promise<T>) => locks.request(name, () => fn()) as Promise<T>;
}

interface Lease {
  owner: string;
  until: number;
}

function isLease(value: unknown): value is Lease {
  return typeof value === 'object' && value !== null && typeof (value as Lease).owner === 'string' && typeof (value as Lease).until === 'number';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Fallback where Web Locks are missing: a lease written in one IndexedDB transaction. A tab that
 * dies while holding it blocks others for at most `leaseMs`, which is why a lease is time-bound;
 * a live holder renews it every third of `leaseMs` (a heartbeat), so work that outlasts the lease
 * (a sign-in the user takes minutes over) still keeps every other tab waiting.
 */
export function leaseLock(backend: KeyValueBackend, leaseMs: number): LockRunner {
  return async <T>(name: string, fn: () => Promise<T>) => {
    const key = `graphwire:lease:${name}`;
    const owner = crypto.getRandomValues(new Uint32Array(4)).join('-');
    for (;;) {
      let acquired = false;
      await backend.update(key, (old) => {
        if (isLease(old) && old.until > Date.now() && old.owner !== owner) return old;
        acquired = true;
        return { owner, until: Date.now() + leaseMs } satisfies Lease;
      });
      if (acquired) break;
      await sleep(20 + Math.random() * 30);
    }
    const heartbeat = startHeartbeat(backend, key, owner, leaseMs);
    try {
      return await fn();
    } finally {
      await heartbeat.stop();
      // A failed release is harmless: the lease runs out by itself.
      await backend.update(key, (old) => (isLease(old) && old.owner === owner ? { owner: '', until: 0 } : old)).catch(() => undefined);
    }
  };
}

/** Extends the lease while its holder works; a failed renewal is retried at the next beat. */
function startHeartbeat(backend: KeyValueBackend, key: string, owner: string, leaseMs: number): { stop(): Promise<void> } {
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewing.then(() =>
      backend
        .update(key, (old) => (isLease(old) && old.owner === owner ? { owner, until: Date.now() + leaseMs } : old))
        .catch(() => undefined),
    );
  }, Math.max(1, Math.floor(leaseMs / 3)));
  return {
    stop: () => {
      clearInterval(timer);
      return renewing;
    },
  };
}
