import { randomUUID } from 'node:crypto';
import { errorResponse, type SimResponse } from '../sim-response.js';
import { mimeTypeFor, type DriveItem } from './drive-item.js';
import type { StoredContent } from './stored-content.js';

/**
 * `@microsoft.graph.conflictBehavior`: what an upload does when a file already exists at its path.
 * Given in a `createUploadSession` body's `item` or as a query parameter.
 * - `'fail'`: 409 `nameAlreadyExists`, at session creation or at the last fragment if a file
 *   appeared meanwhile. The default of an upload session by path, as Graph documents it.
 * - `'replace'`: keeps the existing item's id and replaces its content. The default of a simple
 *   upload (`PUT …:/content`) and of an upload session for `items/{id}`.
 * - `'rename'`: creates a new file next to it, `q3 1.pdf`, `q3 2.pdf`, ….
 */
export type ConflictBehavior = 'fail' | 'replace' | 'rename';
export const CONFLICT_BEHAVIORS: readonly ConflictBehavior[] = ['fail', 'replace', 'rename'];

export interface CommitInput {
  driveId: string;
  /** `reports/q3.pdf`: folder and name, no slashes at either end. */
  path: string;
  content: StoredContent;
  conflictBehavior: ConflictBehavior;
}

export type CommitResult = { status: 200 | 201; item: DriveItem } | { error: SimResponse };

/**
 * Every drive's files, by id and by path. Paths compare case-insensitively, as OneDrive's do;
 * names keep the case they were created with.
 */
export class DriveStore {
  readonly #items = new Map<string, DriveItem>();
  readonly #byPath = new Map<string, string>();

  byPath(driveId: string, path: string): DriveItem | undefined {
    const id = this.#byPath.get(pathKey(driveId, path));
    return id === undefined ? undefined : this.#items.get(id);
  }

  byId(driveId: string, id: string): DriveItem | undefined {
    const item = this.#items.get(id);
    return item?.driveId === driveId ? item : undefined;
  }

  /** Whether committing to this path now would be refused under `fail`. */
  conflict(driveId: string, path: string, conflictBehavior: ConflictBehavior): SimResponse | undefined {
    if (conflictBehavior !== 'fail' || !this.byPath(driveId, path)) return undefined;
    return nameAlreadyExists(path);
  }

  /** Creates the file (201) or, per the conflict behaviour, replaces it (200), renames the new one (201) or refuses (409). */
  commit({ driveId, path, content, conflictBehavior }: CommitInput): CommitResult {
    const existing = this.byPath(driveId, path);
    const now = new Date();
    if (existing && conflictBehavior === 'fail') return { error: nameAlreadyExists(path) };
    if (existing && conflictBehavior === 'replace') {
      Object.assign(existing, { content, modified: now, version: existing.version + 1 });
      return { status: 200, item: existing };
    }
    const target = existing ? this.#freePath(driveId, path) : path;
    const { folder, name } = splitPath(target);
    const item: DriveItem = { id: randomUUID(), driveId, name, folder, content, mimeType: mimeTypeFor(name), created: now, modified: now, version: 1 };
    this.#items.set(item.id, item);
    this.#byPath.set(pathKey(driveId, target), item.id);
    return { status: 201, item };
  }

  delete(item: DriveItem): void {
    this.#items.delete(item.id);
    this.#byPath.delete(pathKey(item.driveId, joinPath(item.folder, item.name)));
  }

  clear(): void {
    this.#items.clear();
    this.#byPath.clear();
  }

  // OneDrive's rename: `q3.pdf` → `q3 1.pdf`, `q3 2.pdf`, …
  #freePath(driveId: string, path: string): string {
    const { folder, name } = splitPath(path);
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let n = 1; ; n++) {
      const candidate = joinPath(folder, `${stem} ${n}${extension}`);
      if (!this.byPath(driveId, candidate)) return candidate;
    }
  }
}

export function splitPath(path: string): { folder: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? { folder: '', name: path } : { folder: path.slice(0, slash), name: path.slice(slash + 1) };
}

export function joinPath(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}

function pathKey(driveId: string, path: string): string {
  return `${driveId}\n${path.toLowerCase()}`;
}

function nameAlreadyExists(path: string): SimResponse {
  return errorResponse(409, 'nameAlreadyExists', `The specified item name already exists: '${splitPath(path).name}'.`);
}
