// Where upload slices come from. In-memory data (Blob, bytes) is sliced on demand at any offset;
// a stream is read once, keeping only the bytes the server has not confirmed yet, so memory stays
// at about two slices whatever the file size.
import { configError } from './errors/config-error.js';

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

class StreamSource implements SliceSource {
  readonly size: number;
  readonly #iterator: AsyncIterator<unknown>;
  /** Unconfirmed bytes in order: #held[0] begins at #heldStart. */
  readonly #held: Uint8Array[] = [];
  #heldStart = 0;
  /** Bytes read from the stream so far. */
  #read = 0;

  constructor(iterator: AsyncIterator<unknown>, size: number) {
    this.#iterator = iterator;
    this.size = size;
  }

  async slice(start: number, end: number): Promise<Uint8Array> {
    if (start < this.#heldStart) {
      throw new Error(`[@graphwire/core] upload: the server asked again for bytes from ${start}, which it had confirmed; a stream cannot be read twice, so the upload cannot continue`);
    }
    while (this.#read < end) await this.#pull();
    if (end === this.size) await this.#expectEnd();
    const out = new Uint8Array(end - start);
    let position = this.#heldStart;
    for (const chunk of this.#held) {
      const from = Math.max(start, position);
      const to = Math.min(end, position + chunk.byteLength);
      if (from < to) out.set(chunk.subarray(from - position, to - position), from - start);
      position += chunk.byteLength;
      if (position >= end) break;
    }
    return out;
  }

  confirm(offset: number): void {
    // Bytes not read yet are skipped as they arrive (a resumed session may hold more than we sent).
    if (offset <= this.#heldStart) return;
    while (this.#held.length > 0 && this.#heldStart + this.#held[0]!.byteLength <= offset) {
      this.#heldStart += this.#held.shift()!.byteLength;
    }
    const first = this.#held[0];
    if (first) this.#held[0] = first.subarray(offset - this.#heldStart);
    this.#heldStart = offset;
  }

  cancel(): void {
    void this.#iterator.return?.()?.catch?.(() => undefined);
  }

  async #pull(): Promise<void> {
    const next = await this.#iterator.next();
    if (next.done) throw configError(`upload: the data ended after ${this.#read} bytes, but option 'size' is ${this.size}`);
    const value = next.value;
    if (!(value instanceof Uint8Array)) {
      throw configError(`upload: the stream yielded ${typeof value === 'string' ? 'a string' : typeof value}; it must yield bytes (Uint8Array / Buffer): open files without an encoding`);
    }
    let chunk = value;
    const at = this.#read;
    this.#read += chunk.byteLength;
    if (this.#read > this.size) throw configError(`upload: the data is longer than option 'size' (${this.size} bytes)`);
    if (this.#read <= this.#heldStart) return; // already confirmed: skipped
    if (at < this.#heldStart) chunk = chunk.subarray(this.#heldStart - at);
    if (chunk.byteLength > 0) this.#held.push(chunk);
  }

  /** Before the last slice goes out: a stream longer than `size` must not become a truncated file. */
  async #expectEnd(): Promise<void> {
    for (;;) {
      const next = await this.#iterator.next();
      if (next.done) return;
      if (next.value instanceof Uint8Array && next.value.byteLength === 0) continue;
      throw configError(`upload: the data is longer than option 'size' (${this.size} bytes)`);
    }
  }
}
