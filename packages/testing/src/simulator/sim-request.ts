import type { SimResponse } from './sim-response.js';

/** What a route sees of a request: the Graph path after the version, already split and decoded. */
export interface SimRequest {
  /** Upper case; HEAD is presented as GET (Node drops the body). */
  method: string;
  version: 'v1.0' | 'beta';
  /** Decoded path segments after the version: `/v1.0/users/user-1` → `['users', 'user-1']`. */
  segments: string[];
  query: URLSearchParams;
  /** `http://host:port` as the client addressed the simulator, for absolute links back to it. */
  origin: string;
  /** The JSON body as an object; `{}` when empty; undefined when malformed or not an object. */
  readJsonObject(): Promise<Record<string, unknown> | undefined>;
}

/** A route answers the requests it owns and returns undefined for the rest. */
export type Route = (request: SimRequest) => SimResponse | undefined | Promise<SimResponse | undefined>;

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
