import { createHash, type Hash } from 'node:crypto';

/** What the drive keeps of a file: always its size and hash, its bytes only when small enough. */
export interface StoredContent {
  size: number;
  /** SHA-256 as upper-case hex, as OneDrive writes it. */
  sha256Hash: string;
  /** Undefined when the file was larger than `keepUploadedContent`. */
  bytes?: Buffer;
}

/**
 * Takes a file in pieces and hashes as it goes, so a 256 MiB upload costs one fragment of memory
 * at a time; the pieces are kept only when the whole file is within the keep limit.
 */
export class ContentAccumulator {
  readonly #hash: Hash = createHash('sha256');
  readonly #chunks: Buffer[] | undefined;
  #size = 0;

  constructor(keep: boolean) {
    this.#chunks = keep ? [] : undefined;
  }

  get size(): number {
    return this.#size;
  }

  append(chunk: Buffer): void {
    this.#hash.update(chunk);
    this.#chunks?.push(chunk);
    this.#size += chunk.length;
  }

  finish(): StoredContent {
    const content: StoredContent = { size: this.#size, sha256Hash: this.#hash.digest('hex').toUpperCase() };
    if (this.#chunks) content.bytes = Buffer.concat(this.#chunks);
    return content;
  }
}
