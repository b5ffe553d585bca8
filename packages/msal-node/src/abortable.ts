/**
 * Stop waiting for `work` when `signal` aborts, rejecting with the signal's reason as `fetch` does.
 * MSAL has no cancellation for most calls: the work goes on in the background and whatever token
 * it gets still lands in the cache for the next caller; its late failure is dropped.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}
