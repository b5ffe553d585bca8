// One validator for every public constructor and options bag in every graphwire package: unknown
// keys (a typo such as `clientSecert`) and wrong types are a TypeError that names the package, the
// option and what was expected, and lists the known options. Nothing falls back silently.

/** What one option must be. `undefined` always passes: required options are checked by their owner. */
export interface OptionRule {
  test(value: unknown): boolean;
  /** Completes "`name` must be …", e.g. 'a string' or "one of 'a', 'b'". */
  expected: string;
}

export type OptionRules = Record<string, OptionRule>;

const MAX_TIMER = 2_147_483_647;
const rule = (expected: string, test: (value: unknown) => boolean): OptionRule => ({ expected, test });

/** The common rules; combine them with `oneOf`, `arrayOf`, `either` or write an `OptionRule` inline. */
export const rules = {
  string: rule('a string', (v) => typeof v === 'string'),
  nonEmptyString: rule('a non-empty string', (v) => typeof v === 'string' && v !== ''),
  boolean: rule('true or false', (v) => typeof v === 'boolean'),
  function: rule('a function', (v) => typeof v === 'function'),
  object: rule('an object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
  number: rule('a finite number', (v) => typeof v === 'number' && Number.isFinite(v)),
  positiveInteger: rule('a whole number of at least 1', (v) => Number.isInteger(v) && (v as number) >= 1),
  nonNegativeInteger: rule('a whole number of at least 0', (v) => Number.isInteger(v) && (v as number) >= 0),
  /** Milliseconds a timer can wait (setTimeout fires at once above 2^31 - 1). */
  milliseconds: rule('a number of milliseconds from 0 to 2147483647', (v) => typeof v === 'number' && v >= 0 && v <= MAX_TIMER),
  positiveMilliseconds: rule('a number of milliseconds from 1 to 2147483647', (v) => typeof v === 'number' && v > 0 && v <= MAX_TIMER),
  stringArray: rule('an array of strings', (v) => Array.isArray(v) && v.every((s) => typeof s === 'string')),
  scopes: rule('a non-empty array of scope strings, e.g. ["User.Read"]', (v) =>
    Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s !== '')),
  signal: rule('an AbortSignal', (v) => typeof v === 'object' && v !== null && typeof (v as AbortSignal).aborted === 'boolean'
    && typeof (v as AbortSignal).addEventListener === 'function'),
  bytes: rule('a Uint8Array, ArrayBuffer or string', (v) => typeof v === 'string' || v instanceof Uint8Array || v instanceof ArrayBuffer),
};

export function oneOf(...values: readonly unknown[]): OptionRule {
  return rule(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v) => values.includes(v));
}

export function either(...alternatives: readonly OptionRule[]): OptionRule {
  return rule(alternatives.map((a) => a.expected).join(' or '), (v) => alternatives.some((a) => a.test(v)));
}

export function arrayOf(item: OptionRule): OptionRule {
  return rule(`an array of ${item.expected.replace(/^an? /, '')} values`, (v) => Array.isArray(v) && v.every((x) => item.test(x)));
}

/**
 * Checks an options bag against its rules. `owner` reads as the subject of the message:
 * `validateOptions('@graphwire/msal-node', 'FileTokenStore', options, { directory: rules.string })`
 * → `[@graphwire/msal-node] FileTokenStore: unknown option 'path'; known options: directory`.
 */
export function validateOptions<T>(pkg: string, owner: string, options: T, known: OptionRules): T {
  const prefix = `[${pkg}] ${owner}:`;
  if (options === undefined) return options;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${prefix} options must be an object (got ${describe(options)})`);
  }
  const names = Object.keys(known);
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(known, key)) {
      const hint = closest(key, names);
      throw new TypeError(`${prefix} unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; known options: ${names.join(', ')}`);
    }
    const value = (options as Record<string, unknown>)[key];
    const check = known[key]!;
    if (value !== undefined && !check.test(value)) {
      throw new TypeError(`${prefix} option '${key}' must be ${check.expected} (got ${describe(value)})`);
    }
  }
  return options;
}

/** A short, secret-free description of a wrong value: its type, and the value itself only when harmless. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string': return `a string of ${value.length} characters`; // may be a secret: never echoed
    case 'number': case 'boolean': case 'bigint': return String(value);
    case 'function': return 'a function';
    case 'object': return `an object${value.constructor?.name && value.constructor.name !== 'Object' ? ` (${value.constructor.name})` : ''}`;
    default: return typeof value;
  }
}

/** The known name within edit distance 2 of a typo, if any. */
function closest(key: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const d = distance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
