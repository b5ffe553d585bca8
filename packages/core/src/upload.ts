// `con.upload`: OneDrive / SharePoint upload sessions. Slices go to the pre-authenticated upload URL
// through the naive handler (never a token). After a failed slice nothing is re-sent blindly: the
// session says which bytes it holds (nextExpectedRanges) and the upload continues from there, so
// a committed slice is never sent twice and a dropped one is sent again.
import { configError } from './errors/config-error.js';
import type { NaiveRequest } from './naive-request.js';
import { oneOf, type OptionRule, rules, validateOptions } from './option-rules.js';
import type { RetryPolicy } from './retry-policy.js';
import { isSecureEndpoint } from './target.js';
import { SliceSender } from './upload-slices.js';
import { type SliceSource, type UploadData, sliceSource } from './upload-source.js';
import type { VerbMethods } from './verbs.js';

/**
 * Where `con.upload` writes: a drive path ending in `:` (`'me/drive/root:/reports/q3.pdf:'`), for
 * which an upload session is created, or an existing session to continue.
 */
export type UploadTarget = string | {
  /** An existing upload session's pre-authenticated URL (https, or http on loopback); graphwire first asks it which bytes it holds. */
  uploadUrl: string;
};

/** Options of `con.upload(target, data, options)`. An unknown key or a wrong type is a TypeError. */
export interface UploadOptions {
  /** Required for a stream whose length is not known; checked against in-memory data. */
  size?: number;
  /** Bytes per slice: a multiple of 320 KiB, at most 60 MiB. Default 10 MiB. */
  chunkSize?: number;
  /** Called with `(bytesConfirmed, total)` after each slice the server confirmed (once, at the end, for a simple upload). */
  onProgress?: (bytesConfirmed: number, total: number) => void;
  /** Aborts the upload at once (also while a stream stalls), rejecting with the signal's reason; its upload session is deleted in the background. */
  signal?: AbortSignal;
  /** For a drive path: what happens when the item exists. Default 'replace'. */
  conflictBehavior?: 'replace' | 'fail' | 'rename';
  /** Ms per slice attempt, until the response headers; false for none. Default the connection's timeout plus 1 s per 128 KiB of slice. */
  timeout?: number | false;
}

export interface UploadContext {
  /** Authenticated verbs (createUploadSession, small uploads, the item check). */
  graph: VerbMethods;
  /** The upload URL is pre-authenticated: it never gets a token. */
  naive: NaiveRequest;
  policy: RetryPolicy;
  /** The connection's per-attempt timeout. */
  timeout: number | false;
}

/** Where a session came from, for telling a lost final response from someone else's file. */
export interface SessionOrigin {
  drivePath: string | undefined;
  conflictBehavior: string;
  /** Server time (else local time, less a margin) when the session was created. */
  since: number;
}

const UNIT = 320 * 1024;
const CLOCK_MARGIN_MS = 5 * 60_000;
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
    const session = uploadUrl === undefined
      ? await createSession(context, drivePath!, conflictBehavior, signal)
      : { uploadUrl, since: Date.now() - CLOCK_MARGIN_MS };
    const origin: SessionOrigin = { drivePath, conflictBehavior, since: session.since };
    // A slice's timeout runs until the response headers, so it covers sending the slice too: allow
    // for links down to about 1 Mbit/s on top of the connection's timeout.
    const connectionTimeout = context.timeout;
    const timeout = options.timeout ?? (connectionTimeout === false ? false : connectionTimeout + Math.ceil(chunkSize / (128 * 1024)) * 1000);
    try {
      return await new SliceSender(context, session.uploadUrl, origin, source, { ...options, chunkSize, timeout }, progress).run(!created);
    } catch (error) {
      // An aborted upload always gives its session back; a failed one only if we opened it. In the
      // background: a caller's deadline must not wait for the server.
      if (created || signal?.aborted) void deleteSession(context, session.uploadUrl);
      throw error;
    }
  } finally {
    source.cancel();
  }
}

async function simpleUpload(context: UploadContext, drivePath: string, source: SliceSource, conflictBehavior: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const body = await abortable(source.slice(0, source.size), signal);
  const searchParams = { '@microsoft.graph.conflictBehavior': conflictBehavior };
  const headers = { 'content-type': (typeof Blob !== 'undefined' && body instanceof Blob && body.type) || 'application/octet-stream' };
  return context.graph.put(`${drivePath}/content`, { body: body as BodyInit, headers, searchParams, signal, raiseHttpErrors: true }).json();
}

async function createSession(context: UploadContext, drivePath: string, conflictBehavior: string, signal?: AbortSignal): Promise<{ uploadUrl: string; since: number }> {
  const body = { item: { '@microsoft.graph.conflictBehavior': conflictBehavior } };
  const response = await context.graph.post(`${drivePath}/createUploadSession`, { body, signal, raiseHttpErrors: true });
  const session = await response.json<{ uploadUrl?: unknown }>();
  if (typeof session?.uploadUrl !== 'string' || !isSecureEndpoint(session.uploadUrl)) {
    throw new TypeError('[@graphwire/core] upload: createUploadSession returned no usable https uploadUrl');
  }
  // The server's clock, when it shows it (browsers see Date only if the server exposes it).
  const date = Date.parse(response.headers.get('date') ?? '');
  // Date has whole seconds, rounded down: anything written after the session began is not older.
  return { uploadUrl: session.uploadUrl, since: Number.isFinite(date) ? date : Date.now() - CLOCK_MARGIN_MS };
}

/** A read from a stream that may never deliver must not outlive the caller's abort. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function deleteSession(context: UploadContext, uploadUrl: string): Promise<void> {
  await context.naive.delete(uploadUrl, { retry: 1, timeout: 10_000, raiseHttpErrors: true }).catch(() => undefined);
}

export type { UploadData };
