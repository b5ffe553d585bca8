import type { Route } from '../sim-request.js';
import { emptyResponse, errorResponse } from '../sim-response.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** `/redirect?to=<absolute url>&status=302`: a redirect anywhere, e.g. to another origin. */
export const redirectRoute: Route = (request) => {
  if (request.segments.length !== 1 || request.segments[0] !== 'redirect') return undefined;
  const to = request.query.get('to');
  if (to === null || !/^https?:\/\//i.test(to)) {
    return errorResponse(400, 'BadRequest', "Query parameter 'to' must be an absolute http(s) URL.");
  }
  const status = Number(request.query.get('status') ?? 302);
  if (!REDIRECT_STATUSES.has(status)) {
    return errorResponse(400, 'BadRequest', `Query parameter 'status' must be one of ${[...REDIRECT_STATUSES].join(', ')}.`);
  }
  return emptyResponse(status, { location: to });
};
