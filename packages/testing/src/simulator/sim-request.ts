import type { SimResponse } from './sim-response.js';

/** What every handler sees of a request, whether it came over a socket or inside a `$batch`. */
export interface RawRequest {
  /** Upper case; HEAD is presented as GET (Node drops the body). */
  method: string;
  /** The full path, e.g. `/upload/sessions/abc`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased names; for a `$batch` item, the item's own headers. */
  headers: Record<string, string>;
  /** `http://host:port` as the client addressed the simulator, for absolute links back to it. */
  origin: string;
  /** Whose throttle budget the request spends: its bearer token, else `ip:<address>`. */
  caller: string;
  /** The raw body, read once; a `$batch` item's body is already decoded. */
  readBody(): Promise<Buffer>;
  /** The JSON body as an object; `{}` when empty; undefined when malformed or not an object. */
  readJsonObject(): Promise<Record<string, unknown> | undefined>;
}

/** A request under `/v1.0` or `/beta`, the path after the version already split and decoded. */
export interface SimRequest extends RawRequest {
  version: 'v1.0' | 'beta';
  /** Decoded path segments after the version: `/v1.0/users/user-1` → `['users', 'user-1']`. */
  segments: string[];
}

/** A route answers the requests it owns and returns undefined for the rest. */
export type Route = (request: SimRequest) => SimResponse | undefined | Promise<SimResponse | undefined>;

/** A route outside the versioned Graph paths (the pre-authenticated upload URLs). */
export type RawRoute = (request: RawRequest) => SimResponse | undefined | Promise<SimResponse | undefined>;

export interface RouteTable {
  graph: readonly Route[];
  raw: readonly RawRoute[];
}

export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
