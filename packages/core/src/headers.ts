// Header merging with python-o365's rule for `Prefer`: a caller's preferences join the defaults'
// instead of replacing them (ky's merge would overwrite).

/**
 * Headers as graphwire takes them: anything `new Headers()` takes, or an object whose `undefined`
 * values are skipped (and, in a request's headers, remove the connection's default of that name).
 */
export type HeaderInput = HeadersInit | Record<string, string | undefined>;

// Any iterable of pairs is what `new Headers()` takes: the global Headers, another realm's or
// npm undici's (not `instanceof` the global one), an array, a Map. Only a plain record is read as one.
function entries(input: HeaderInput): Array<[string, string | undefined]> {
  if (typeof (input as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') return [...new Headers(input as HeadersInit)];
  return Object.entries(input as Record<string, string | undefined>);
}

/** Lower-cases names once so per-request merging is plain object work. */
export function normalizeHeaders(input: HeaderInput | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!input) return out;
  for (const [name, value] of entries(input)) {
    if (value !== undefined) out[name.toLowerCase()] = String(value);
  }
  return out;
}

/** Defaults + call headers; a call header set to `undefined` removes a default. */
export function mergeHeaders(defaults: Record<string, string>, call: HeaderInput | undefined): Record<string, string> {
  const out = { ...defaults };
  if (!call) return out;
  for (const [rawName, value] of entries(call)) {
    const name = rawName.toLowerCase();
    if (value === undefined) delete out[name];
    else if (name === 'prefer' && out.prefer) out.prefer = joinPrefer(out.prefer, String(value));
    else out[name] = String(value);
  }
  return out;
}

/** Joins two Prefer values; a preference named in both takes the caller's value. */
export function joinPrefer(defaults: string, call: string): string {
  const name = (pref: string) => pref.split('=')[0]!.trim().toLowerCase();
  const callPrefs = call.split(',').map((p) => p.trim()).filter(Boolean);
  const overridden = new Set(callPrefs.map(name));
  const kept = defaults.split(',').map((p) => p.trim()).filter((p) => p && !overridden.has(name(p)));
  return [...kept, ...callPrefs].join(', ');
}
