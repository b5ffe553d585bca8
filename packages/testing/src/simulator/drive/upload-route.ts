import type { RawRequest, RawRoute } from '../sim-request.js';
import { emptyResponse, errorResponse, type SimResponse } from '../sim-response.js';
import { parseContentRange } from './content-range.js';
import { UPLOAD_PATH, type UploadSession, type UploadSessions } from './upload-sessions.js';

/** Graph's limit on one fragment. */
export const MAX_FRAGMENT_BYTES = 60 * 1024 * 1024;

/**
 * The pre-authenticated upload URL: `PUT` a fragment, `GET` the progress, `DELETE` to cancel.
 * It needs no bearer and refuses one: a client that sends its Graph token here leaks it to the
 * storage host, so the request fails like it may on Graph.
 */
export function uploadRoute(sessions: UploadSessions): RawRoute {
  return async (request) => {
    if (!request.path.startsWith(UPLOAD_PATH)) return undefined;
    const id = request.path.slice(UPLOAD_PATH.length);
    if (request.headers.authorization !== undefined) {
      return errorResponse(401, 'InvalidAuthenticationToken', 'The upload URL is pre-authenticated: requests to it must not carry an Authorization header.');
    }
    const session = sessions.get(id);
    if (!session) return gone();
    if (request.query.get('tempauth') !== session.tempauth) {
      return errorResponse(401, 'unauthenticated', 'The tempauth parameter of the upload URL is missing or wrong.');
    }
    switch (request.method) {
      case 'GET':
        return sessions.status(session);
      case 'DELETE':
        sessions.delete(id);
        return emptyResponse(204);
      case 'PUT':
        return putFragment(sessions, session, request);
      default:
        return errorResponse(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
    }
  };
}

async function putFragment(sessions: UploadSessions, session: UploadSession, request: RawRequest): Promise<SimResponse> {
  const range = parseContentRange(request.headers['content-range']);
  if (!range) return invalidRequest("The Content-Range header is missing or malformed: expected 'bytes START-END/TOTAL'.");
  const length = range.end - range.start + 1;
  const declared = request.headers['content-length'];
  if (declared === undefined || Number(declared) !== length) {
    return invalidRequest(`Content-Length must be ${length}, the length of the range in Content-Range '${request.headers['content-range']}'.`);
  }
  if (length > MAX_FRAGMENT_BYTES) {
    return errorResponse(413, 'requestTooLarge', `A fragment may hold at most ${MAX_FRAGMENT_BYTES} bytes (60 MiB); this one holds ${length}.`);
  }
  if (session.total !== undefined && range.total !== session.total) {
    return invalidRequest(`The total size ${range.total} differs from the session's ${session.total}.`);
  }
  const { fragmentMultiple } = sessions.limits;
  if (range.end + 1 < range.total && length % fragmentMultiple !== 0) {
    return invalidRequest(`Every fragment but the last must be a multiple of ${fragmentMultiple} bytes (320 KiB); this one holds ${length}.`);
  }
  const misplaced = checkStart(session, range.start);
  if (misplaced) return misplaced;

  const fragment = await request.readBody();
  if (fragment.length !== length) return invalidRequest(`The body holds ${fragment.length} bytes, Content-Range says ${length}.`);
  // Check again: another fragment for this session may have been committed (or the session
  // cancelled) while this body was arriving.
  if (sessions.get(session.id) !== session) return gone();
  return checkStart(session, range.start) ?? sessions.commit(session, range.total, fragment);
}

// Only the next expected byte may start a fragment: earlier overlaps what is committed, later leaves a gap.
function checkStart(session: UploadSession, start: number): SimResponse | undefined {
  if (start === session.next) return undefined;
  const problem = start < session.next ? 'overlaps bytes already received' : 'leaves a gap after the bytes received';
  return errorResponse(416, 'invalidRange', `The fragment starting at byte ${start} ${problem}; the next expected range is '${session.next}-'.`);
}

function gone(): SimResponse {
  return errorResponse(404, 'itemNotFound', 'The upload session does not exist: it was completed, cancelled or never created.');
}

function invalidRequest(message: string): SimResponse {
  return errorResponse(400, 'invalidRequest', message);
}
