// Where upload slices come from. In-memory data (Blob, bytes) is sliced on demand at any offset;
// a stream is read once, keeping only the bytes the server has not confirmed yet, so memory stays
// at about two slices whatever the file size.
import { configError } from './errors/config-error.js';

/**
 * What `con.upload` sends: in-memory bytes, or a stream read once (Node streams are async
 * iterables). A stream needs the `size` option; one that ends early or runs long fails the upload.
 */
export type UploadData = Blob | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface SliceSource {
  readonly size: number;
  /** Bytes [start, end). `start` is never below the last `confirm`. */
  slice(start: number, end: number): Promise<Uint8Array | Blob>;
  /** The server holds everything before `offset`: those bytes may be dropped. */
  confirm(offset: number): void;
  /** Stops reading a stream early (abort, failure). */
  cancel(): void;
}

export function sliceSource(data: UploadData, size: number | undefined): SliceSource {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? asBytes(data) : undefined;
  if (bytes) return memorySource(bytes.byteLength, size, (start, end) => bytes.subarray(start, end));
  if (typeof Blob !== 'undefined' && data instanceof Blob) return memorySource(data.size, size, (start, end) => data.slice(start, end));
  const iterable = toAsyncIterable(data);
  if (!iterable) throw configError('upload: data must be a Blob, Uint8Array, ArrayBuffer, ReadableStream or async iterable of Uint8Array chunks');
  if (size === undefined) throw configError("upload: option 'size' is required when data is a stream (its length is not known in advance)");
  return new StreamSource(iterable[Symbol.asyncIterator](), size);
}

function asBytes(view: ArrayBufferView): Uint8Array {
  return view instanceof Uint8Array ? view : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function memorySource(actual: number, size: number | undefined, cut: (start: number, end: number) => Uint8Array | Blob): SliceSource {
  if (size !== undefined && size !== actual) throw configError(`upload: option 'size' is ${size} but the data has ${actual} bytes`);
  return { size: actual, slice: async (start, end) => cut(start, end), confirm: () => undefined, cancel: () => undefined };
}

function toAsyncIterable(data: unknown): AsyncIterable<unknown> | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  if (typeof (data as ReadableStream).getReader === 'function') return readerIterable(data as ReadableStream<unknown>);
  if (typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') return data as AsyncIterable<unknown>;
  return undefined;
}

// Not every browser has ReadableStream's own async iterator yet.
async function* readerIterable(stream: ReadableStream<unknown>): AsyncGenerator<unknown> {
  const reader = stream.getReader();
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) yield chunk.value;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

// One buffer of a slice's size holds the bytes not yet confirmed, filled from the stream and reused
// for every slice: fetch copies a body when the request is made (the Fetch standard's "extract a
// body"), so the buffer is free again as soon as the slice is on its way.
class StreamSource implements SliceSource {
  readonly size: number;
  readonly #iterator: AsyncIterator<unknown>;
  #window: Uint8Array | undefined;
  /** The window holds bytes [#start, #start + #filled). */
  #start = 0;
  #filled = 0;
  /** A chunk read past the window's end, not stored yet. */
  #spill: Uint8Array | undefined;
  #read = 0;
  #confirmed = 0;

  constructor(iterator: AsyncIterator<unknown>, size: number) {
    this.#iterator = iterator;
    this.size = size;
  }

  async slice(start: number, end: number): Promise<Uint8Array> {
    if (start < this.#confirmed || start < this.#start) {
      throw new Error(`[@graphwire/core] upload: the server asked again for bytes from ${start}, which it had confirmed; a stream cannot be read twice, so the upload cannot continue`);
    }
    this.#dropBefore(start);
    const length = end - start;
    if (!this.#window || this.#window.byteLength < length) this.#window = grow(this.#window, length, this.#filled);
    while (this.#start + this.#filled < end) {
      const chunk = this.#spill ?? (await this.#pull());
      this.#spill = undefined;
      const room = end - (this.#start + this.#filled);
      this.#window.set(chunk.byteLength > room ? chunk.subarray(0, room) : chunk, this.#filled);
      this.#filled += Math.min(room, chunk.byteLength);
      if (chunk.byteLength > room) this.#spill = chunk.subarray(room);
    }
    if (end === this.size) await this.#expectEnd();
    return this.#window.subarray(0, length);
  }

  confirm(offset: number): void {
    this.#confirmed = Math.max(this.#confirmed, offset);
  }

  cancel(): void {
    void this.#iterator.return?.()?.catch?.(() => undefined);
  }

  /** Forgets bytes before `start`: what is left of the window moves to its front. */
  #dropBefore(start: number): void {
    const drop = Math.min(start - this.#start, this.#filled);
    if (drop > 0) this.#window!.copyWithin(0, drop, this.#filled);
    this.#filled -= drop;
    this.#start += drop;
    if (this.#filled === 0 && start > this.#start) {
      // A resumed session may hold bytes not read yet: skip them (the spill holds the first ones).
      const skip = start - this.#start;
      if (this.#spill) this.#spill = skip >= this.#spill.byteLength ? undefined : this.#spill.subarray(skip);
      this.#start = start;
    }
  }

  async #pull(): Promise<Uint8Array> {
    for (;;) {
      const next = await this.#iterator.next();
      if (next.done) throw configError(`upload: the data ended after ${this.#read} bytes, but option 'size' is ${this.size}`);
      const value = next.value;
      if (!(value instanceof Uint8Array)) {
        throw configError(`upload: the stream yielded ${typeof value === 'string' ? 'a string' : typeof value}; it must yield bytes (Uint8Array / Buffer): open files without an encoding`);
      }
      const at = this.#read;
      this.#read += value.byteLength;
      if (this.#read > this.size) throw configError(`upload: the data is longer than option 'size' (${this.size} bytes)`);
      const skip = Math.max(0, this.#start + this.#filled - at);
      if (skip < value.byteLength) return skip > 0 ? value.subarray(skip) : value;
    }
  }

  /** Before the last slice goes out: a stream longer than `size` must not become a truncated file. */
  async #expectEnd(): Promise<void> {
    if (this.#spill && this.#spill.byteLength > 0) throw configError(`upload: the data is longer than option 'size' (${this.size} bytes)`);
    for (;;) {
      const next = await this.#iterator.next();
      if (next.done) return;
      if (next.value instanceof Uint8Array && next.value.byteLength === 0) continue;
      throw configError(`upload: the data is longer than option 'size' (${this.size} bytes)`);
    }
  }
}

function grow(window: Uint8Array | undefined, length: number, keep: number): Uint8Array {
  const next = new Uint8Array(length);
  if (window && keep > 0) next.set(window.subarray(0, keep));
  return next;
}
