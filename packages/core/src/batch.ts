// `con.batch`: any number of requests over Graph's JSON batching. Calls of at most `maxPerBatch`,
// `concurrency` of them at once, each an ordinary authenticated POST through the connection.
// Throttled sub-requests (429, and 503 where safe) are collected and sent again in a later call
// after their own Retry-After, with the dependents that failed only because of them; a sub-request
// 429 also pauses the host, as a direct 429 does.
import { type BatchResponse, type WireRequest, type WireResponse, decodeResponse, encodeBody, headerValue, itemError } from './batch-codec.js';
import { BATCH_OPTION_RULES, type BatchOptions, GRAPH_LIMIT } from './batch-options.js';
import { type BatchRequest, type PlannedItem, chains, pack, planItems } from './batch-plan.js';
import { type GraphError, isGraphError } from './errors/graph-error.js';
import { validateOptions } from './option-rules.js';
import { type RetryPolicy, isRetryableStatus } from './retry-policy.js';
import { parseRetryAfter, retryDelay } from './retry-timing.js';

/** What a batch run needs from its Connection. */
export interface BatchContext {
  post(body: { requests: WireRequest[] }, signal: AbortSignal): Promise<unknown>;
  /** Graph's relative form of a URL under the base URL; throws for any other URL. */
  toRelative(url: string | URL): { url: string; absolute: string };
  /** Pause the Graph host, as a direct 429 would. */
  throttled(ms: number, count: number): void;
  /** Items answered (each spent the host's budget, which pacing learns from answers). */
  answered(count: number): void;
  policy: RetryPolicy;
}

export async function runBatch<T>(context: BatchContext, requests: readonly BatchRequest[], options: BatchOptions = {}): Promise<BatchResponse<T>[]> {
  validateOptions('@graphwire/core', 'batch', options, BATCH_OPTION_RULES);
  const { maxPerBatch = GRAPH_LIMIT, concurrency = 4, signal } = options;
  const items = planItems(requests, (url) => context.toRelative(url));
  const groups = chains(items, items.map((item) => item.index), maxPerBatch); // a chain too long for one call throws here
  signal?.throwIfAborted();
  return new BatchRun<T>(context, items, maxPerBatch, concurrency, options.onProgress).run(groups, signal);
}

interface Waiting {
  readyAt: number;
  group: number[];
}

class BatchRun<T> {
  readonly #results: BatchResponse<T>[] = [];
  readonly #retries: number[];
  readonly #encoded = new Map<number, ReturnType<typeof encodeBody>>();
  readonly #waiting: Waiting[] = [];
  readonly #stop = new AbortController();
  #done = 0;
  #failure: { error: unknown } | undefined;

  constructor(
    readonly context: BatchContext,
    readonly items: readonly PlannedItem[],
    readonly maxPerBatch: number,
    readonly concurrency: number,
    readonly onProgress: BatchOptions['onProgress'],
  ) {
    this.#retries = items.map(() => 0);
  }

  async run(groups: number[][], outer: AbortSignal | undefined): Promise<BatchResponse<T>[]> {
    for (const group of groups) this.#waiting.push({ readyAt: 0, group });
    const signal = outer ? AbortSignal.any([outer, this.#stop.signal]) : this.#stop.signal;
    const stopped = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    stopped.catch(() => undefined);
    const inFlight = new Set<Promise<void>>();
    try {
      while (this.#waiting.length > 0 || inFlight.size > 0) {
        if (this.#failure) throw this.#failure.error;
        signal.throwIfAborted();
        while (inFlight.size < this.concurrency) {
          const call = this.#nextCall();
          if (!call) break;
          const sending: Promise<void> = this.#send(call, signal).then(
            () => { inFlight.delete(sending); },
            (error: unknown) => { inFlight.delete(sending); this.#failure ??= { error }; },
          );
          inFlight.add(sending);
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        const wait = inFlight.size < this.concurrency ? this.#nextReadyIn() : undefined;
        const wake = wait === undefined ? [] : [new Promise<void>((resolve) => { timer = setTimeout(resolve, wait); })];
        try {
          await Promise.race([...inFlight, ...wake, stopped]);
        } finally {
          clearTimeout(timer);
        }
      }
      if (this.#failure) throw this.#failure.error;
      return this.#results;
    } catch (error) {
      this.#stop.abort(error); // the other calls in flight are not needed any more
      await Promise.allSettled(inFlight);
      throw outer?.aborted ? outer.reason : error;
    }
  }

  /** Ready groups packed into one call, or undefined when none is ready yet. */
  #nextCall(): number[] | undefined {
    const now = Date.now();
    const ready = this.#waiting.filter((w) => w.readyAt <= now);
    if (ready.length === 0) return undefined;
    const [call] = pack(ready.map((w) => w.group), this.maxPerBatch);
    const taken = new Set(call);
    for (let i = this.#waiting.length - 1; i >= 0; i--) {
      if (taken.has(this.#waiting[i]!.group[0]!)) this.#waiting.splice(i, 1);
    }
    return call;
  }

  #nextReadyIn(): number | undefined {
    if (this.#waiting.length === 0) return undefined;
    return Math.max(0, Math.min(...this.#waiting.map((w) => w.readyAt)) - Date.now());
  }

  async #send(call: number[], signal: AbortSignal): Promise<void> {
    const members = new Set(call);
    const requests = await Promise.all(call.map(async (i): Promise<WireRequest> => {
      const item = this.items[i]!;
      let encoded = this.#encoded.get(i);
      if (!encoded) this.#encoded.set(i, (encoded = encodeBody(item)));
      const wire: WireRequest = { id: item.id, method: item.method, url: item.url, ...(await encoded) };
      const deps = item.dependsOn.filter((d) => members.has(d)); // a dependency that already succeeded is not sent again
      if (deps.length > 0) wire.dependsOn = deps.map((d) => this.items[d]!.id);
      return wire;
    }));
    let reply: unknown;
    try {
      reply = await this.context.post({ requests }, signal);
    } catch (error) {
      if (signal.aborted || !isGraphError(error)) {
        if (error instanceof SyntaxError) throw new Error('[@graphwire/core] batch: the $batch response is not JSON');
        throw error;
      }
      // The call failed as a whole (after its own retries): its items fail with it, the others go on.
      for (const i of call) this.#fail(i, error);
      return;
    }
    const responses = (reply as { responses?: unknown } | null)?.responses;
    if (!Array.isArray(responses)) throw new TypeError('[@graphwire/core] batch: the $batch response has no "responses" array');
    const byId = new Map<string, WireResponse>();
    for (const response of responses as WireResponse[]) if (response && typeof response === 'object') byId.set(String(response.id), response);
    this.#settle(call, byId);
  }

  #settle(call: number[], byId: Map<string, WireResponse>): void {
    const { policy } = this.context;
    const retry = new Set<number>();
    let readyIn = 0;
    let throttledFor = 0;
    let throttledItems = 0;
    let answeredItems = 0;
    for (const i of call) { // dependencies come before their dependents in a call
      const item = this.items[i]!;
      const wire = byId.get(item.id);
      if (!wire || typeof wire.status !== 'number') continue;
      const retryAfter = headerValue(wire.headers, 'retry-after');
      const transient = (wire.status === 429 || wire.status === 503)
        && isRetryableStatus(item.method, wire.status, retryAfter !== undefined, policy);
      const honoured = policy.afterStatusCodes.has(wire.status) ? parseRetryAfter(retryAfter) : undefined;
      const waitMs = retryDelay(this.#retries[i]! + 1, honoured, policy);
      if (wire.status === 429) {
        throttledItems++; // a 429 pauses the host even when the item has no retries left
        throttledFor = Math.max(throttledFor, waitMs);
      } else if (wire.status !== 424) answeredItems++; // a 424 was never run
      if (transient && this.#retries[i]! < policy.limit) {
        retry.add(i);
        this.#retries[i]!++;
        readyIn = Math.max(readyIn, waitMs);
      } else if (wire.status === 424 && this.#failedOnlyBecauseOf(item, retry, byId)) {
        retry.add(i); // it goes with the throttled dependency
      }
    }
    if (answeredItems > 0) this.context.answered(answeredItems);
    if (throttledItems > 0) this.context.throttled(throttledFor, throttledItems);
    for (const i of call) if (!retry.has(i)) this.#final(i, byId.get(this.items[i]!.id));
    if (retry.size === 0) return;
    const readyAt = Date.now() + readyIn;
    for (const group of chains(this.items, [...retry], this.maxPerBatch)) this.#waiting.push({ readyAt, group });
  }

  /** A 424 is retried only if every dependency that failed is being retried (none failed for good). */
  #failedOnlyBecauseOf(item: PlannedItem, retry: ReadonlySet<number>, byId: Map<string, WireResponse>): boolean {
    let retried = false;
    for (const d of item.dependsOn) {
      if (retry.has(d)) retried = true;
      else if ((byId.get(this.items[d]!.id)?.status ?? 0) >= 400) return false;
    }
    return retried;
  }

  #fail(i: number, error: GraphError): void {
    this.#results[i] = { id: this.items[i]!.id, status: error.status, headers: {}, body: error.body as T, error };
    this.onProgress?.(++this.#done, this.items.length);
  }

  #final(i: number, wire: WireResponse | undefined): void {
    const item = this.items[i]!;
    if (wire && typeof wire.status === 'number') {
      this.#results[i] = decodeResponse<T>(item, wire, this.context.policy.maxRetryAfter);
    } else {
      const body = { error: { code: 'batchResponseMissing', message: 'The $batch response had no response for this request.' } };
      this.#results[i] = { id: item.id, status: 500, headers: {}, body: body as T, error: itemError(item, 500, {}, body, this.context.policy.maxRetryAfter) };
    }
    this.onProgress?.(++this.#done, this.items.length);
  }
}
