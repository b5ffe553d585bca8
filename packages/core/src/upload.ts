// `con.upload`: OneDrive / SharePoint upload sessions. Slices go to the pre-authenticated upload URL
// through the naive handler (never a token). After a failed slice nothing is re-sent blindly: the
// session says which bytes it holds (nextExpectedRanges) and the upload continues from there, so
// a committed slice is never sent twice and a dropped one is sent again.
import { sleep } from './abortable-sleep.js';
import { configError } from './errors/config-error.js';
import { isGraphError } from './errors/graph-error.js';
import type { NaiveRequest } from './naive-request.js';
import { oneOf, type OptionRule, rules, validateOptions } from './option-rules.js';
import type { RetryPolicy } from './retry-policy.js';
import { parseRetryAfter, retryDelay } from './retry-timing.js';
import { isSecureEndpoint } from './target.js';
import { type SliceSource, type UploadData, sliceSource } from './upload-source.js';
import type { VerbMethods } from './verbs.js';

export type UploadTarget = string | { uploadUrl: string };

export interface UploadOptions {
  /** Required for a stream whose length is not known; checked against in-memory data. */
  size?: number;
  /** Bytes per slice: a multiple of 320 KiB, at most 60 MiB. Default 10 MiB. */
  chunkSize?: number;
  /** After each slice the server confirmed. */
  onProgress?: (bytesConfirmed: number, total: number) => void;
  /** Aborts the upload and deletes its upload session. */
  signal?: AbortSignal;
  /** For a drive path: what happens when the item exists. Default 'replace'. */
  conflictBehavior?: 'replace' | 'fail' | 'rename';
  /** Per slice attempt, until the response headers; default the connection's timeout. */
  timeout?: number | false;
}

export interface UploadContext {
  /** Authenticated verbs (createUploadSession, small uploads, the item check). */
  graph: VerbMethods;
  /** The upload URL is pre-authenticated: it never gets a token. */
  naive: NaiveRequest;
  policy: RetryPolicy;
}

const UNIT = 320 * 1024;
/** Graph's limit for a simple PUT of the content; larger files need an upload session. */
export const SIMPLE_UPLOAD_MAX = 4 * 1024 * 1024;
const RULES: Record<keyof UploadOptions, OptionRule> = {
  size: rules.nonNegativeInteger,
  chunkSize: {
    expected: 'a multiple of 327680 (320 KiB) up to 62914560 (60 MiB), e.g. 10485760',
    test: (v) => Number.isInteger(v) && (v as number) > 0 && (v as number) % UNIT === 0 && (v as number) <= 192 * UNIT,
  },
  onProgress: rules.function,
  signal: rules.signal,
  conflictBehavior: oneOf('replace', 'fail', 'rename'),
  timeout: { expected: 'a positive number of milliseconds, or false', test: (v) => v === false || rules.positiveMilliseconds.test(v) },
};

export async function runUpload(context: UploadContext, target: UploadTarget, data: UploadData, options: UploadOptions = {}): Promise<Record<string, unknown>> {
  validateOptions('@graphwire/core', 'upload', options, RULES);
  const { signal, conflictBehavior = 'replace', chunkSize = 32 * UNIT } = options;
  let drivePath: string | undefined;
  let uploadUrl: string | undefined;
  if (typeof target === 'string') {
    if (!target.endsWith(':')) throw configError(`upload: a drive path target ends with ':', e.g. 'me/drive/root:/reports/q3.pdf:' (got ${JSON.stringify(target)})`);
    drivePath = target;
  } else {
    validateOptions('@graphwire/core', 'upload target', target, { uploadUrl: rules.nonEmptyString });
    if (!target?.uploadUrl || !isSecureEndpoint(target.uploadUrl)) throw configError('upload: uploadUrl must be an absolute https URL (http only on loopback)');
    uploadUrl = target.uploadUrl;
  }
  const source = sliceSource(data, options.size);
  const progress = (done: number) => options.onProgress?.(done, source.size);
  signal?.throwIfAborted();
  try {
    if (drivePath && source.size <= SIMPLE_UPLOAD_MAX) {
      const item = await simpleUpload(context, drivePath, source, conflictBehavior, signal);
      progress(source.size);
      return item;
    }
    if (source.size === 0) throw configError('upload: an upload session cannot take an empty file; upload it to a drive path instead');
    const created = uploadUrl === undefined;
    uploadUrl ??= await createSession(context, drivePath!, conflictBehavior, signal);
    try {
      return await new SliceSender(context, uploadUrl, drivePath, source, { ...options, chunkSize }, progress).run(!created);
    } catch (error) {
      // An aborted upload always gives its session back; a failed one only if we opened it.
      if (created || signal?.aborted) await deleteSession(context, uploadUrl);
      throw error;
    }
  } finally {
    source.cancel();
  }
}

async function simpleUpload(context: UploadContext, drivePath: string, source: SliceSource, conflictBehavior: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const body = await source.slice(0, source.size);
  const searchParams = { '@microsoft.graph.conflictBehavior': conflictBehavior };
  const headers = { 'content-type': (typeof Blob !== 'undefined' && body instanceof Blob && body.type) || 'application/octet-stream' };
  return context.graph.put(`${drivePath}/content`, { body: body as BodyInit, headers, searchParams, signal }).json();
}

async function createSession(context: UploadContext, drivePath: string, conflictBehavior: string, signal?: AbortSignal): Promise<string> {
  const body = { item: { '@microsoft.graph.conflictBehavior': conflictBehavior } };
  const session = await context.graph.post(`${drivePath}/createUploadSession`, { body, signal }).json<{ uploadUrl?: unknown }>();
  if (typeof session?.uploadUrl !== 'string' || !isSecureEndpoint(session.uploadUrl)) {
    throw new TypeError('[@graphwire/core] upload: createUploadSession returned no usable https uploadUrl');
  }
  return session.uploadUrl;
}

async function deleteSession(context: UploadContext, uploadUrl: string): Promise<void> {
  await context.naive.delete(uploadUrl, { retry: 1, timeout: 10_000 }).catch(() => undefined);
}

type Status = { next: number } | { item: Record<string, unknown> };

class SliceSender {
  #offset = 0;
  #failures = 0;

  constructor(
    readonly context: UploadContext,
    readonly uploadUrl: string,
    readonly drivePath: string | undefined,
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
      const body = await this.source.slice(start, end);
      let reply: { status: number; json: Record<string, unknown> } | undefined;
      let failure: unknown;
      try {
        const headers = { 'content-range': `bytes ${start}-${end - 1}/${size}`, 'content-type': 'application/octet-stream' };
        const response = await this.context.naive.put(this.uploadUrl, { body: body as BodyInit, headers, retry: 0, timeout, signal });
        reply = { status: response.status, json: await response.json<Record<string, unknown>>() };
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        // 416: the server holds (some of) these bytes already. 429 / 5xx / a cut connection / a timeout:
        // it may or may not have committed them. Either way, the session knows.
        if (isGraphError(error) && !(error.status === 416 || error.status === 429 || error.status >= 500)) throw error;
        failure = error;
      }
      if (reply && reply.status !== 202) return this.#finished(reply.json);
      if (reply) {
        this.#advance(nextExpected(reply.json) ?? end);
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
    if (next > this.#offset) this.#failures = 0;
    this.#offset = next;
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
      const json = await this.context.naive.get(this.uploadUrl, { signal }).json<Record<string, unknown>>();
      const next = nextExpected(json);
      if (next !== undefined && next < this.source.size) return { next };
      if (typeof json.id === 'string') return { item: json };
    } catch (error) {
      if (signal?.aborted || !isGraphError(error) || error.status !== 404 || failure === undefined) throw error;
    }
    // The last slice's response was lost: the session closed because the item is complete.
    if (this.drivePath) {
      const item = await this.context.graph.get(this.drivePath.slice(0, -1), { signal }).json<Record<string, unknown>>();
      if (item?.size === this.source.size) return { item };
    }
    throw failure;
  }
}

/** The first byte the session still expects: the lowest start of `nextExpectedRanges` ('26214400-', '0-999'). */
function nextExpected(json: Record<string, unknown> | undefined): number | undefined {
  const ranges = json?.nextExpectedRanges;
  if (!Array.isArray(ranges) || ranges.length === 0) return undefined;
  const starts = ranges.map((r) => Number.parseInt(String(r), 10)).filter((n) => Number.isInteger(n) && n >= 0);
  return starts.length > 0 ? Math.min(...starts) : undefined;
}

export type { UploadData };
