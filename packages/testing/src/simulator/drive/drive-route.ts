import type { Route, SimRequest } from '../sim-request.js';
import { emptyResponse, errorResponse, jsonResponse, type SimResponse } from '../sim-response.js';
import { parseDriveAddress, type DriveAddress } from './drive-address.js';
import { driveItemJson, type DriveItem } from './drive-item.js';
import { CONFLICT_BEHAVIORS, joinPath, splitPath, type ConflictBehavior, type DriveStore } from './drive-store.js';
import { ContentAccumulator } from './stored-content.js';
import type { UploadSessions } from './upload-sessions.js';

/** Graph's limit for a simple upload (`PUT …:/content`); larger files need an upload session. */
export const MAX_SIMPLE_UPLOAD_BYTES = 4 * 1024 * 1024;

const CONFLICT_PARAM = '@microsoft.graph.conflictBehavior';

/** Drive items by path or id: metadata, content, simple upload, delete, and upload session creation. */
export function driveRoute(drive: DriveStore, sessions: UploadSessions, meId: string): Route {
  return async (request) => {
    const address = parseDriveAddress(request.segments, meId);
    if (!address) return undefined;
    const item = 'itemId' in address.target ? drive.byId(address.driveId, address.target.itemId) : drive.byPath(address.driveId, address.target.path);
    const key = `${request.method} ${address.action ?? ''}`;
    switch (key) {
      case 'GET ':
        return item ? jsonResponse(200, driveItemJson(item)) : notFound();
      case 'DELETE ':
        if (!item) return notFound();
        drive.delete(item);
        return emptyResponse(204);
      case 'GET content':
        return item ? content(item, sessions.limits.keepUploadedContent) : notFound();
      case 'PUT content':
        return simpleUpload(request, drive, sessions.limits.keepUploadedContent, address, item);
      case 'POST createUploadSession':
        return createSession(request, drive, sessions, address, item);
      default:
        if (address.action !== undefined && address.action !== 'content' && address.action !== 'createUploadSession') {
          return errorResponse(400, 'invalidRequest', `The simulator's drive does not support '${address.action}'.`);
        }
        return errorResponse(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
    }
  };
}

function content(item: DriveItem, keepLimit: number): SimResponse {
  const { bytes, size } = item.content;
  if (bytes) return { status: 200, raw: { body: bytes, contentType: item.mimeType } };
  return errorResponse(
    410,
    'contentNotKept',
    `The simulator kept only the size and sha256Hash of this ${size}-byte file: contents over keepUploadedContent (${keepLimit} bytes) are not stored.`,
  );
}

async function simpleUpload(
  request: SimRequest,
  drive: DriveStore,
  keepLimit: number,
  address: DriveAddress,
  item: DriveItem | undefined,
): Promise<SimResponse> {
  const path = targetPath(address, item);
  if (path === undefined) return notFound();
  // Graph's simple upload replaces by default; the query parameter may say otherwise.
  const conflictBehavior = conflictParam(request.query.get(CONFLICT_PARAM), 'replace');
  if (typeof conflictBehavior !== 'string') return conflictBehavior;
  // Refused before reading, so an oversized body is never buffered.
  if (Number(request.headers['content-length'] ?? 0) > MAX_SIMPLE_UPLOAD_BYTES) return tooLarge();
  const body = await request.readBody();
  if (body.length > MAX_SIMPLE_UPLOAD_BYTES) return tooLarge();
  const accumulator = new ContentAccumulator(body.length <= keepLimit);
  accumulator.append(body);
  const result = drive.commit({ driveId: address.driveId, path, content: accumulator.finish(), conflictBehavior });
  return 'error' in result ? result.error : jsonResponse(result.status, driveItemJson(result.item));
}

async function createSession(
  request: SimRequest,
  drive: DriveStore,
  sessions: UploadSessions,
  address: DriveAddress,
  item: DriveItem | undefined,
): Promise<SimResponse> {
  let path = targetPath(address, item);
  if (path === undefined) return notFound();
  const body = await request.readJsonObject();
  const props = body?.item ?? {};
  if (!body || typeof props !== 'object' || props === null || Array.isArray(props)) {
    return errorResponse(400, 'invalidRequest', 'The body must be a JSON object, e.g. { "item": { "@microsoft.graph.conflictBehavior": "rename" } }.');
  }
  const { name, fileSize } = props as Record<string, unknown>;
  // Graph documents 'fail' as the default for a new file by path (some tenants have been seen to
  // replace); a session for an existing item addressed by id updates that item.
  const fallback = 'itemId' in address.target ? 'replace' : 'fail';
  const conflictBehavior = conflictParam((props as Record<string, unknown>)[CONFLICT_PARAM] ?? request.query.get(CONFLICT_PARAM), fallback);
  if (typeof conflictBehavior !== 'string') return conflictBehavior;
  if (name !== undefined) {
    if (typeof name !== 'string' || name === '' || name.includes('/')) return errorResponse(400, 'invalidRequest', "'item.name' must be a file name.");
    path = joinPath(splitPath(path).folder, name);
  }
  if (fileSize !== undefined && !(Number.isSafeInteger(fileSize) && (fileSize as number) > 0)) {
    return errorResponse(400, 'invalidRequest', "'item.fileSize' must be a whole number of bytes.");
  }
  // Under 'fail', an existing file refuses the session at once (and again at completion if one appeared since).
  const conflict = drive.conflict(address.driveId, path, conflictBehavior);
  if (conflict) return conflict;
  return sessions.create({ driveId: address.driveId, path, conflictBehavior, fileSize: fileSize as number | undefined, origin: request.origin });
}

// By path the target may not exist yet; by id it must, and an upload to it replaces it.
function targetPath(address: DriveAddress, item: DriveItem | undefined): string | undefined {
  if ('path' in address.target) return address.target.path;
  return item ? joinPath(item.folder, item.name) : undefined;
}

function conflictParam(value: unknown, fallback: ConflictBehavior): ConflictBehavior | SimResponse {
  if (value === undefined || value === null) return fallback;
  if (CONFLICT_BEHAVIORS.includes(value as ConflictBehavior)) return value as ConflictBehavior;
  return errorResponse(400, 'invalidRequest', `${CONFLICT_PARAM} must be one of ${CONFLICT_BEHAVIORS.join(', ')}.`);
}

function tooLarge(): SimResponse {
  return errorResponse(413, 'requestTooLarge', `A simple upload may hold at most ${MAX_SIMPLE_UPLOAD_BYTES} bytes (4 MiB): use an upload session.`);
}

function notFound(): SimResponse {
  return errorResponse(404, 'itemNotFound', 'The resource could not be found.');
}
