import { randomBytes, randomUUID } from 'node:crypto';
import { jsonResponse, type SimResponse } from '../sim-response.js';
import type { SimulatorStats } from '../stats.js';
import { driveItemJson } from './drive-item.js';
import type { ConflictBehavior, DriveStore } from './drive-store.js';
import { ContentAccumulator } from './stored-content.js';

/** Path of the pre-authenticated upload URLs, outside `/v1.0` as Graph's are on another host. */
export const UPLOAD_PATH = '/upload/sessions/';

// Graph's sessions last days; nothing here expires, the date is for clients that read it.
const SESSION_LIFETIME_MS = 6 * 60 * 60 * 1000;

export interface UploadSession {
  id: string;
  tempauth: string;
  driveId: string;
  path: string;
  conflictBehavior: ConflictBehavior;
  expiration: Date;
  /** Set by `fileSize` at creation or by the first fragment's Content-Range; every fragment must agree. */
  total: number | undefined;
  /** The next byte expected: everything before it is committed. */
  next: number;
  content: ContentAccumulator | undefined;
}

export interface UploadLimits {
  /** Files up to this many bytes keep their content for `GET …/content`. */
  keepUploadedContent: number;
  /** Every fragment but the last must be a multiple of this (Graph: 320 KiB). */
  fragmentMultiple: number;
}

export interface CreateSessionInput {
  driveId: string;
  path: string;
  conflictBehavior: ConflictBehavior;
  fileSize: number | undefined;
  origin: string;
}

/** The open upload sessions of one simulator, and the commit of their fragments. */
export class UploadSessions {
  readonly #sessions = new Map<string, UploadSession>();

  constructor(
    readonly drive: DriveStore,
    readonly stats: SimulatorStats,
    readonly limits: UploadLimits,
  ) {}

  create({ driveId, path, conflictBehavior, fileSize, origin }: CreateSessionInput): SimResponse {
    const session: UploadSession = {
      id: randomUUID(),
      tempauth: randomBytes(24).toString('base64url'),
      driveId,
      path,
      conflictBehavior,
      expiration: new Date(Date.now() + SESSION_LIFETIME_MS),
      total: fileSize,
      next: 0,
      content: undefined,
    };
    this.#sessions.set(session.id, session);
    this.stats.uploadSessions++;
    return jsonResponse(200, {
      uploadUrl: `${origin}${UPLOAD_PATH}${session.id}?tempauth=${session.tempauth}`,
      ...status(session),
    });
  }

  get(id: string): UploadSession | undefined {
    return this.#sessions.get(id);
  }

  delete(id: string): boolean {
    return this.#sessions.delete(id);
  }

  clear(): void {
    this.#sessions.clear();
  }

  /** The session's progress as Graph reports it after each fragment and on GET. */
  status(session: UploadSession): SimResponse {
    return jsonResponse(200, status(session));
  }

  /**
   * Appends one whole, validated fragment at `session.next`. The last one creates the file and
   * ends the session, even when the create is refused (409 under `fail`): the session is spent.
   */
  commit(session: UploadSession, total: number, fragment: Buffer): SimResponse {
    session.total = total;
    session.content ??= new ContentAccumulator(total <= this.limits.keepUploadedContent);
    session.content.append(fragment);
    session.next += fragment.length;
    this.stats.uploadFragments++;
    if (session.next < total) return { ...this.status(session), status: 202 };

    this.#sessions.delete(session.id);
    const { driveId, path, conflictBehavior } = session;
    const result = this.drive.commit({ driveId, path, conflictBehavior, content: session.content.finish() });
    return 'error' in result ? result.error : jsonResponse(result.status, driveItemJson(result.item));
  }
}

function status(session: UploadSession): Record<string, unknown> {
  return { expirationDateTime: session.expiration.toISOString(), nextExpectedRanges: [`${session.next}-`] };
}
