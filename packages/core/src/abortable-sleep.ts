/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Sleeps until `remaining()` (ms) is 0, asking again after each sleep: what is waited for may move
 * meanwhile (a 429 extends a pause, timers fire late on a busy event loop).
 */
export async function sleepWhile(remaining: () => number, signal?: AbortSignal): Promise<void> {
  for (let wait = remaining(); wait > 0; wait = remaining()) await sleep(wait, signal);
}
