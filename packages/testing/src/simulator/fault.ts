/** One scripted response. Faults are queued per route, consumed in order, then normal behaviour resumes. */
export interface Fault {
  /** Status to answer with; a Graph error body is generated for statuses >= 400 unless `body` is given. */
  status?: number;
  /** Overrides `error.code` (default derived from `status`). */
  code?: string;
  /** Overrides `error.message`. */
  message?: string;
  /** Seconds, or a raw header value (HTTP date, garbage) sent verbatim as `Retry-After`. */
  retryAfter?: number | string;
  /** A claims challenge: status defaults to 401 and `WWW-Authenticate` carries the claims base64-encoded. */
  claims?: string;
  /** A raw body instead of Graph JSON (HTML, '', truncated JSON, huge). Status defaults to 200. */
  body?: string | Uint8Array;
  /** Content-Type for `body`; none is sent when omitted. */
  contentType?: string;
  /** Extra response headers; they override generated ones. Alone, they are added to the normal response. */
  headers?: Record<string, string>;
  /** Delay before this response, or before the normal behaviour when the fault has no response of its own. */
  latencyMs?: number;
  /** Destroy the socket without any response (connection reset). */
  reset?: boolean;
  /** Answer with a redirect to this URL (which may be another origin). */
  redirect?: string;
  /** Redirect status, default 302. */
  redirectStatus?: number;
  /**
   * Run the route's handler for its side effects (and count an execution) before sending the fault:
   * e.g. a POST that was processed but whose response was lost. Default false for faults with a
   * status >= 400, resets and redirects; true otherwise.
   */
  execute?: boolean;
}

interface Script {
  method: string;
  path: string;
  prefix: boolean;
  queue: Fault[];
}

/** Scripted faults by route (`'GET /v1.0/me'`, `'* /v1.0/users/*'`). */
export class FaultScripts {
  readonly #scripts = new Map<string, Script>();

  add(route: string, faults: readonly Fault[]): void {
    const match = /^(\S+) (\/\S*)$/.exec(route.trim());
    if (!match) throw new TypeError(`Invalid route ${JSON.stringify(route)}: expected 'METHOD /path', e.g. 'GET /v1.0/me'`);
    const method = match[1]!.toUpperCase();
    const pattern = match[2]!;
    const key = `${method} ${pattern}`;
    const existing = this.#scripts.get(key);
    if (existing) {
      existing.queue.push(...faults);
      return;
    }
    const prefix = pattern.endsWith('/*');
    this.#scripts.set(key, { method, path: prefix ? pattern.slice(0, -1) : pattern, prefix, queue: [...faults] });
  }

  /** The next fault for this request, from the most specific matching script that still has one. */
  take(method: string, path: string): Fault | undefined {
    let best: Script | undefined;
    for (const script of this.#scripts.values()) {
      if (script.queue.length === 0 || !matches(script, method, path)) continue;
      if (!best || specificity(script) > specificity(best)) best = script;
    }
    return best?.queue.shift();
  }

  clear(): void {
    this.#scripts.clear();
  }
}

function matches(script: Script, method: string, path: string): boolean {
  if (script.method !== '*' && script.method !== method) return false;
  return script.prefix ? path.startsWith(script.path) : path === script.path;
}

// An exact path beats any prefix, a longer prefix beats a shorter one, a named method beats '*'.
function specificity(script: Script): number {
  return (script.prefix ? script.path.length : 1e6) * 2 + (script.method === '*' ? 0 : 1);
}
