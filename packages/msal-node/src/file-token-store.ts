import { createHash, randomBytes } from 'node:crypto';
import { closeSync, chmodSync, mkdirSync, openSync, promises as fs, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  optionRules as rules, parseTokenEnvelope, TOKEN_ENVELOPE_FORMAT, type OptionRules, type TokenEnvelope, type TokenStore,
} from '@graphwire/core';
import { writeFileAtomic } from './atomic-write.js';
import { ENCRYPTION_KEY_ENV, open, parseEncryptionKey, seal } from './encryption.js';
import { checkOptions, storeError } from './errors.js';
import { FileLock } from './file-lock.js';

/** Options of `new FileTokenStore()`; an unknown key or a wrong type throws a `TypeError`. */
export interface FileTokenStoreOptions {
  /** Where the files go (default `~/.graphwire`). Created with mode 0700 if missing. */
  directory?: string;
  /**
   * AES-256-GCM key for encryption at rest: 32 bytes, raw or base64 / hex text. Defaults to the
   * `GRAPHWIRE_TOKEN_KEY` environment variable; without either, files are plain JSON (mode 0600).
   */
  encryptionKey?: string | Uint8Array;
  /** Give up waiting for another process's lock after this long (default 30 s). */
  lockTimeoutMs?: number;
  /**
   * A lock not refreshed for this long is stale: its holder died, and the next process takes it
   * over (default 10 s, at least 2 s). The holder refreshes it every `lockStaleMs / 2`.
   */
  lockStaleMs?: number;
}

// proper-lockfile's floor: below it, it silently uses 2 s anyway.
const MIN_STALE_MS = 2000;
const MAX_TIMER = 2_147_483_647;

export const FILE_TOKEN_STORE_RULES: OptionRules = {
  directory: { ...rules.nonEmptyString, expected: 'a string (a directory path)', aliases: ['path', 'dir', 'folder', 'tokenPath', 'token_path', 'location'] },
  encryptionKey: {
    expected: 'a string (32 bytes as base64 or hex text) or a Uint8Array of 32 bytes',
    test: (v) => typeof v === 'string' || v instanceof Uint8Array,
    aliases: ['key', 'encryption_key', 'secret', 'password'],
  },
  lockTimeoutMs: { ...rules.milliseconds, aliases: ['timeout', 'lockTimeout'] },
  lockStaleMs: {
    expected: `a number of milliseconds of at least ${MIN_STALE_MS} (the lock is refreshed every lockStaleMs / 2) and at most ${MAX_TIMER}`,
    test: (v) => typeof v === 'number' && v >= MIN_STALE_MS && v <= MAX_TIMER,
    aliases: ['staleMs', 'lockStale'],
  },
};

/**
 * python-o365's FileSystemTokenBackend, made safe to share: one file per key, written atomically
 * with mode 0600, guarded by a cross-process lock, optionally encrypted. Files it cannot read are
 * reported (GraphAuthError naming the path) and never overwritten.
 */
export class FileTokenStore implements TokenStore {
  /** The absolute directory the token files are in. */
  readonly directory: string;
  readonly #key: Uint8Array | undefined;
  readonly #lock: FileLock;

  constructor(options: FileTokenStoreOptions = {}) {
    checkOptions('FileTokenStore', options, FILE_TOKEN_STORE_RULES);
    this.directory = path.resolve(options.directory ?? path.join(os.homedir(), '.graphwire'));
    this.#key = options.encryptionKey !== undefined
      ? parseEncryptionKey(options.encryptionKey, "FileTokenStore: option 'encryptionKey'")
      : parseEncryptionKey(process.env[ENCRYPTION_KEY_ENV], `FileTokenStore: environment variable ${ENCRYPTION_KEY_ENV}`);
    this.#lock = new FileLock({
      ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }),
      ...(options.lockStaleMs === undefined ? {} : { staleMs: options.lockStaleMs }),
    });
    ensureWritableDirectory(this.directory);
  }

  /** The file that holds `key`. */
  pathFor(key: string): string {
    const safe = key.replace(/[^A-Za-z0-9._-]/g, '_');
    // Two keys that sanitise alike must not share a file.
    const suffix = safe === key ? '' : `.${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    return path.join(this.directory, `${safe}${suffix}.json`);
  }

  /**
   * The value saved under `key`, or undefined when there is none. Rejects with a GraphAuthError when
   * the file cannot be read, is not a token file, or is encrypted and the key is missing or wrong.
   */
  async load(key: string): Promise<string | undefined> {
    return this.#read(key);
  }

  /**
   * Replaces the value under `key` atomically (mode 0600, encrypted when a key is set). Rejects with a
   * GraphAuthError when the file cannot be written, or, leaving it untouched, when `load` would refuse it.
   */
  async save(key: string, value: string): Promise<void> {
    // Reading first is what refuses to replace a corrupt file or one sealed with another key.
    await this.#read(key);
    const envelope: TokenEnvelope = this.#key
      ? { format: TOKEN_ENVELOPE_FORMAT, sealed: await seal(this.#key, value, key) }
      : { format: TOKEN_ENVELOPE_FORMAT, value };
    const file = this.pathFor(key);
    try {
      await writeFileAtomic(file, `${JSON.stringify(envelope, null, 1)}\n`);
    } catch (error) {
      throw storeError('token_store_unwritable', `cannot write ${file} (${codeOf(error)}): make ${this.directory} writable or choose another \`directory\``, error);
    }
  }

  /** Removes the file of `key`; no error when there is none. */
  async delete(key: string): Promise<void> {
    await fs.rm(this.pathFor(key), { force: true });
  }

  /** Runs `fn` holding `<file>.lock`, excluding every other process (and caller) using this key. */
  lock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#lock.run(this.pathFor(key), fn);
  }

  async #read(key: string): Promise<string | undefined> {
    const file = this.pathFor(key);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return undefined;
      throw storeError('token_store_unreadable', `cannot read ${file} (${codeOf(error)}): fix its permissions or choose another \`directory\``, error);
    }
    const envelope = parseTokenEnvelope(text);
    if (!envelope) {
      throw storeError('token_store_corrupt', `${file} is not a graphwire token file (truncated or edited?); it was left untouched: move or delete it, then sign in again`);
    }
    if (envelope.value !== undefined) return envelope.value;
    if (!this.#key) {
      throw storeError('token_store_encrypted', `${file} is encrypted: pass the key as FileTokenStore option \`encryptionKey\` or in ${ENCRYPTION_KEY_ENV}`);
    }
    try {
      return await open(this.#key, envelope.sealed!, key);
    } catch (error) {
      throw storeError('token_store_decrypt_failed', `cannot decrypt ${file}: wrong encryption key (option \`encryptionKey\` or ${ENCRYPTION_KEY_ENV}) or a modified file; use the key it was written with, or delete it and sign in again`, error);
    }
  }
}

/** Creates the directory 0700 (umask notwithstanding) and proves it writable now, not at the first token. */
function ensureWritableDirectory(directory: string): void {
  const probe = path.join(directory, `.probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const first = mkdirSync(directory, { recursive: true, mode: 0o700 });
    if (first !== undefined) {
      for (let dir = directory; dir.length >= first.length; dir = path.dirname(dir)) chmodSync(dir, 0o700);
    }
    // access(W_OK) says yes to root on read-only or immutable directories; creating a file does not lie.
    closeSync(openSync(probe, 'wx', 0o600));
    unlinkSync(probe);
  } catch (error) {
    throw storeError('token_store_unwritable', `cannot write to the token directory ${directory} (${codeOf(error)}): choose a writable one with FileTokenStore option \`directory\``, error);
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
}
