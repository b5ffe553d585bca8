import { STATUS_CODES } from 'node:http';

export const GRAPH_JSON_CONTENT_TYPE =
  'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';

// The codes Graph actually sends for these statuses, so clients that branch on error.code see real values.
const CODE_BY_STATUS: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'Authorization_RequestDenied',
  404: 'itemNotFound',
  405: 'Request_BadRequest',
  409: 'conflict',
  412: 'preconditionFailed',
  429: 'TooManyRequests',
  500: 'generalException',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

const MESSAGE_BY_CODE: Record<string, string> = {
  BadRequest: 'Bad request.',
  InvalidAuthenticationToken: 'Access token validation failure.',
  Authorization_RequestDenied: 'Insufficient privileges to complete the operation.',
  itemNotFound: 'The resource could not be found.',
  Request_BadRequest: 'Specified HTTP method is not allowed for the request target.',
  TooManyRequests: 'Too many requests.',
  generalException: 'General exception while processing.',
  BadGateway: 'Bad gateway.',
  ServiceUnavailable: 'The service is temporarily unavailable. Please retry later.',
  GatewayTimeout: 'The gateway did not receive a response in time.',
};

export function errorCodeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? 'UnknownError';
}

export function defaultErrorMessage(code: string, status: number): string {
  return MESSAGE_BY_CODE[code] ?? `${STATUS_CODES[status] ?? 'Unknown status'}.`;
}

export interface GraphErrorIds {
  requestId: string;
  clientRequestId: string;
  now: Date;
}

/** Graph's error JSON, key order included. Graph's innerError date has no fraction and no zone. */
export function graphErrorBody(code: string, message: string, ids: GraphErrorIds): string {
  return JSON.stringify({
    error: {
      code,
      message,
      innerError: {
        date: ids.now.toISOString().slice(0, 19),
        'request-id': ids.requestId,
        'client-request-id': ids.clientRequestId,
      },
    },
  });
}
