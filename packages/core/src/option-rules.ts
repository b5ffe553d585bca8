// One validator for every public constructor and options bag in every graphwire package: unknown
// keys (a typo such as `clientSecert`) and wrong types are a TypeError that names the package, the
// option and what was expected, and lists the known options. Nothing falls back silently.

/** What one option must be. `undefined` passes unless `required`. */
export interface OptionRule {
  test(value: unknown): boolean;
  /** Completes "`name` must be …", e.g. 'a string' or "one of 'a', 'b'". */
  expected: string;
  /** The option must be given (not `undefined`). */
  required?: boolean;
  /** Names people use for this option by mistake (`path` for `directory`): suggested when given. */
  aliases?: readonly string[];
  /**
   * For an object-valued option: the rules of its own keys, checked the same way (unknown keys
   * refused, types checked), with messages naming `parent.key`. Only checked once `test` passes.
   */
  keys?: OptionRules;
}

export type OptionRules = Record<string, OptionRule>;

const MAX_TIMER = 2_147_483_647;
const rule = (expected: string, test: (value: unknown) => boolean): OptionRule => ({ expected, test });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const parses = (url: string) => {
  try {
    return Boolean(new URL(url));
  } catch {
    return false;
  }
};
const hasMethods = (v: unknown, names: readonly string[]) =>
  typeof v === 'object' && v !== null && names.every((n) => typeof (v as Record<string, unknown>)[n] === 'function');

/** The common rules; combine them with `oneOf`, `arrayOf`, `either` or write an `OptionRule` inline. */
export const rules = {
  string: rule('a string', (v) => typeof v === 'string'),
  nonEmptyString: rule('a non-empty string', (v) => typeof v === 'string' && v !== ''),
  boolean: rule('true or false', (v) => typeof v === 'boolean'),
  function: rule('a function', (v) => typeof v === 'function'),
  object: rule('an object', isObject),
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
  /** An absolute URL, as a string or a URL object. */
  url: rule('an absolute URL (a string or a URL)', (v) => v instanceof URL || (typeof v === 'string' && parses(v))),
  /** A graphwire TokenStore: `load`, `save` and `delete` methods, and `lock` if it has one. */
  tokenStore: rule('a TokenStore (an object with load, save and delete methods, e.g. MemoryTokenStore)', (v) =>
    hasMethods(v, ['load', 'save', 'delete'])
    && ((v as { lock?: unknown }).lock === undefined || typeof (v as { lock?: unknown }).lock === 'function')),
};

/** Exactly one of these values (compared with `===`); strings are listed quoted. */
export function oneOf(...values: readonly unknown[]): OptionRule {
  return rule(`one of ${values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}`, (v) => values.includes(v));
}

/** Any of the alternatives: "a string, a URL or false". */
export function either(...alternatives: readonly OptionRule[]): OptionRule {
  const names = alternatives.map((a) => a.expected);
  const expected = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names.join('');
  return rule(expected, (v) => alternatives.some((a) => a.test(v)));
}

export function arrayOf(item: OptionRule): OptionRule {
  return rule(`an array of ${item.expected.replace(/^an? /, '')} values`, (v) => Array.isArray(v) && v.every((x) => item.test(x)));
}

/**
 * Checks an options bag against its rules. `owner` reads as the subject of the message:
 * `validateOptions('@graphwire/msal-node', 'FileTokenStore', options, { directory: rules.string })`
 * → `[@graphwire/msal-node] FileTokenStore: unknown option 'path'; known options: directory`.
 * `undefined` options pass (the owner's defaults apply) unless a rule is `required`. Options must be
 * a plain object (`{ … }` or `Object.create(null)`): an array, a Map or a class instance is refused,
 * as its keys would not be the options the caller meant.
 */
export function validateOptions<T>(pkg: string, owner: string, options: T, known: OptionRules): T {
  const prefix = `[${pkg}] ${owner}:`;
  if (options === undefined) {
    check(prefix, '', {}, known); // only a required option can fail here
    return options;
  }
  if (!isObject(options)) {
    throw new TypeError(`${prefix} options must be an object (got ${describe(options)})`);
  }
  if (!isPlainObject(options)) {
    throw new TypeError(`${prefix} options must be a plain object such as { name: value } (got ${describe(options)})`);
  }
  check(prefix, '', options, known);
  return options;
}

/** An object literal or `Object.create(null)`, from any realm: not an array, Map or class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  // Object.prototype of this realm or another (an iframe's, a vm context's) has no prototype itself.
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * The error for one unknown key, worded as `validateOptions` words it: for hand-written fast checks
 * that build a message only on failure (per-request options on the hot path).
 */
export function unknownOptionError(pkg: string, owner: string, key: string, known: OptionRules | readonly string[]): TypeError {
  return new TypeError(unknownMessage(`[${pkg}] ${owner}:`, '', key, toRules(known)));
}

function toRules(known: OptionRules | readonly string[]): OptionRules {
  if (!Array.isArray(known)) return known as OptionRules;
  const out: OptionRules = {};
  for (const name of known as readonly string[]) out[name] = ANY;
  return out;
}
const ANY: OptionRule = rule('anything', () => true);

function unknownMessage(prefix: string, path: string, key: string, known: OptionRules): string {
  const hint = suggestion(key, known);
  const list = path ? `known options of '${path.slice(0, -1)}'` : 'known options';
  return `${prefix} unknown option '${path}${key}'${hint ? ` (did you mean '${path}${hint}'?)` : ''}; ${list}: ${Object.keys(known).join(', ')}`;
}

function check(prefix: string, path: string, options: Record<string, unknown>, known: OptionRules): void {
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(known, key)) throw new TypeError(unknownMessage(prefix, path, key, known));
  }
  for (const [key, expected] of Object.entries(known)) {
    const value = options[key];
    if (value === undefined) {
      if (expected.required) throw new TypeError(`${prefix} option '${path}${key}' is required: ${expected.expected}`);
      continue;
    }
    if (!expected.test(value)) {
      throw new TypeError(`${prefix} option '${path}${key}' must be ${expected.expected} (got ${describe(value, key)})`);
    }
    if (expected.keys && isObject(value)) check(prefix, `${path}${key}.`, value, expected.keys);
  }
}

// Names whose value may be a secret: a number given there (a numeric password read from YAML or
// the environment) is not echoed either.
const SECRET_NAME = /secret|password|passphrase|key|token|assertion|credential|signature/i;

/**
 * A short, secret-free description of a wrong value: its type, and the value itself only when
 * harmless. Strings are never echoed; numbers only for a `key` that does not look secret.
 */
function describe(value: unknown, key?: string): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string': return `a string of ${value.length} character${value.length === 1 ? '' : 's'}`; // may be a secret: never echoed
    case 'number': case 'bigint':
      if (key !== undefined && SECRET_NAME.test(key)) return typeof value === 'number' ? 'a number' : 'a bigint';
      return typeof value === 'bigint' ? `${value}n` : String(value);
    case 'boolean': return String(value);
    case 'function': return 'a function';
    case 'object': {
      const name = isPlainObject(value) ? undefined : (value as { constructor?: { name?: unknown } }).constructor?.name;
      return `an object${typeof name === 'string' && name !== '' && name !== 'Object' ? ` (${name})` : ''}`;
    }
    default: return typeof value;
  }
}

/**
 * The known name an unknown key most likely meant: one declaring it as an alias, the same name in
 * another case or in snake_case (`client_id`), else the nearest within a few edits.
 */
function suggestion(key: string, known: OptionRules): string | undefined {
  const names = Object.keys(known);
  const alias = names.find((name) => known[name]?.aliases?.includes(key));
  if (alias) return alias;
  const flat = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');
  const same = names.find((name) => flat(name) === flat(key));
  if (same) return same;
  // Two edits for short names, three for long ones (`knownAuthority` for `knownAuthorities`).
  const limit = key.length >= 10 ? 3 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of names) {
    const d = distance(key.toLowerCase(), name.toLowerCase(), limit);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** Levenshtein distance, or `limit + 1` when the lengths alone rule out `limit` edits. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
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
