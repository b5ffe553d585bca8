// The slices of one upload session. After a failed slice nothing is re-sent blindly: the session
// says which bytes it holds (nextExpectedRanges) and the upload continues from there.
import { sleep } from './abortable-sleep.js';
import { isGraphError } from './errors/graph-error.js';
import { isKyNetworkError, isKyTimeoutError } from './ky-errors.js';
import { parseRetryAfter, retryDelay } from './retry-timing.js';
import { type SessionOrigin, type UploadContext, type UploadOptions, abortable } from './upload.js';
import type { SliceSource } from './upload-source.js';

type Status = { next: number } | { item: Record<string, unknown> };

export class SliceSender {
  #offset = 0;
  #failures = 0;

  constructor(
    readonly context: UploadContext,
    readonly uploadUrl: string,
    readonly origin: SessionOrigin,
    readonly source: SliceSource,
    readonly options: UploadOptions & { chunkSize: number },
    readonly progress: (done: number) => void,
  ) {}

  /** `resume`: an existing session may hold bytes already (another process started it): ask first. */
  async run(resume: boolean): Promise<Record<string, unknown>> {
    const { size } = this.source;
    const { signal, timeout, chunkSize } = this.options;
    if (resume) {
      const status = await this.#status(undefined);
      if ('item' in status) return this.#finished(status.item);
      this.#advance(status.next);
    }
    for (;;) {
      signal?.throwIfAborted();
      const start = this.#offset;
      if (start >= size) {
        // Every byte is confirmed but no item came back: ask the session (and the drive) once more.
        const status = await this.#recover(new Error('[@graphwire/core] upload: the session holds every byte but returned no item'), null);
        if ('item' in status) return this.#finished(status.item);
        this.#advance(status.next);
        continue;
      }
      const end = Math.min(start + chunkSize, size);
      const body = await abortable(this.source.slice(start, end), signal);
      let reply: { status: number; json: Record<string, unknown> } | undefined;
      let failure: unknown;
      try {
        const headers = { 'content-range': `bytes ${start}-${end - 1}/${size}`, 'content-type': 'application/octet-stream' };
        const response = await this.context.naive.put(this.uploadUrl, { body: body as BodyInit, headers, retry: 0, timeout, signal, raiseHttpErrors: true });
        reply = { status: response.status, json: await response.json<Record<string, unknown>>() };
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        // 416: the server holds (some of) these bytes already. 429 / 5xx / a cut connection / a timeout:
        // it may or may not have committed them. Either way, the session knows.
        const transient = isGraphError(error)
          ? error.status === 416 || error.status === 429 || error.status >= 500
          : isKyNetworkError(error) || isKyTimeoutError(error);
        if (!transient) throw error; // a 4xx, a hook's or a programming error: asking the session would not help
        failure = error;
      }
      if (reply && reply.status !== 202) return this.#finished(reply.json);
      if (reply) {
        const next = nextExpected(reply.json) ?? end;
        // A 202 that asks for these bytes again is no progress: bounded like a failure.
        if (next <= start && ++this.#failures > this.context.policy.limit) {
          throw new Error(`[@graphwire/core] upload: the session took bytes ${start}-${end - 1} ${this.#failures} times but still expects bytes from ${next}`);
        }
        this.#advance(next);
        continue;
      }
      const status = await this.#recover(failure, isGraphError(failure) ? failure.response.headers.get('retry-after') : null);
      if ('item' in status) return this.#finished(status.item);
      this.#advance(status.next);
    }
  }

  /** Waits (Retry-After, else backoff), then asks where the session stands. */
  async #recover(failure: unknown, retryAfter: string | null): Promise<Status> {
    if (++this.#failures > this.context.policy.limit) throw failure;
    await sleep(retryDelay(this.#failures, parseRetryAfter(retryAfter), this.context.policy), this.options.signal);
    return this.#status(failure);
  }

  #advance(next: number): void {
    const moved = next > this.#offset;
    this.#offset = next;
    if (!moved) return;
    this.#failures = 0;
    this.source.confirm(next);
    this.progress(next);
  }

  #finished(item: Record<string, unknown>): Record<string, unknown> {
    this.progress(this.source.size);
    return item;
  }

  /** Where the session stands after a failure; a session that is gone may have just completed. */
  async #status(failure: unknown): Promise<Status> {
    const { signal } = this.options;
    try {
      const json = await this.context.naive.get(this.uploadUrl, { signal, raiseHttpErrors: true }).json<Record<string, unknown>>();
      const next = nextExpected(json);
      if (next !== undefined && next < this.source.size) return { next };
      if (typeof json.id === 'string') return { item: json };
    } catch (error) {
      if (signal?.aborted || !isGraphError(error) || error.status !== 404 || failure === undefined) throw error;
    }
    if (failure === undefined) throw new Error('[@graphwire/core] upload: the upload session reports no bytes expected and no item');
    // The last slice's response was lost: the session may have closed because the item is complete.
    // Only an item of this size written since the session began is ours ('rename' wrote elsewhere).
    const { drivePath, conflictBehavior, since } = this.origin;
    if (drivePath && conflictBehavior !== 'rename') {
      const item = await this.context.graph.get(drivePath.slice(0, -1), { signal, raiseHttpErrors: true }).json<Record<string, unknown>>();
      const modified = Date.parse(String(item?.lastModifiedDateTime));
      if (item?.size === this.source.size && modified >= since) return { item };
    }
    throw failure as Error;
  }
}

/** The first byte the session still expects: the lowest start of `nextExpectedRanges` ('26214400-', '0-999'). */
function nextExpected(json: Record<string, unknown> | undefined): number | undefined {
  const ranges = json?.nextExpectedRanges;
  if (!Array.isArray(ranges) || ranges.length === 0) return undefined;
  const starts = ranges.map((r) => Number.parseInt(String(r), 10)).filter((n) => Number.isInteger(n) && n >= 0);
  return starts.length > 0 ? Math.min(...starts) : undefined;
}
