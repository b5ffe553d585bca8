// One validator for every public constructor and options bag in every graphwire package: unknown
// keys (a typo such as `clientSecert`) and wrong types are a TypeError that names the package, the
// option and what was expected, and lists the known options. Nothing falls back silently.
import { suggestion } from './option-suggestion.js';

/** What one option must be. `undefined` passes unless `required`. */
export interface OptionRule {
  /** True when `value` (never `undefined`) is acceptable. */
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

/** The rules of an options bag, by option name: its known options. */
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
  /** Any string, empty included. */
  string: rule('a string', (v) => typeof v === 'string'),
  /** A string other than `''`. */
  nonEmptyString: rule('a non-empty string', (v) => typeof v === 'string' && v !== ''),
  /** `true` or `false`. */
  boolean: rule('true or false', (v) => typeof v === 'boolean'),
  /** Any function. */
  function: rule('a function', (v) => typeof v === 'function'),
  /** A non-null object that is not an array. */
  object: rule('an object', isObject),
  /** A finite number (not NaN or Infinity). */
  number: rule('a finite number', (v) => typeof v === 'number' && Number.isFinite(v)),
  /** A whole number ≥ 1. */
  positiveInteger: rule('a whole number of at least 1', (v) => Number.isInteger(v) && (v as number) >= 1),
  /** A whole number ≥ 0. */
  nonNegativeInteger: rule('a whole number of at least 0', (v) => Number.isInteger(v) && (v as number) >= 0),
  /** Milliseconds a timer can wait (setTimeout fires at once above 2^31 - 1). */
  milliseconds: rule('a number of milliseconds from 0 to 2147483647', (v) => typeof v === 'number' && v >= 0 && v <= MAX_TIMER),
  /** Milliseconds from 1 to 2147483647: a timeout, where 0 would mean none. */
  positiveMilliseconds: rule('a number of milliseconds from 1 to 2147483647', (v) => typeof v === 'number' && v > 0 && v <= MAX_TIMER),
  /** An array of strings (possibly empty). */
  stringArray: rule('an array of strings', (v) => Array.isArray(v) && v.every((s) => typeof s === 'string')),
  /** A non-empty array of non-empty scope strings. */
  scopes: rule('a non-empty array of scope strings, e.g. ["User.Read"]', (v) =>
    Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s !== '')),
  /** An AbortSignal, from any realm (checked by shape). */
  signal: rule('an AbortSignal', (v) => typeof v === 'object' && v !== null && typeof (v as AbortSignal).aborted === 'boolean'
    && typeof (v as AbortSignal).addEventListener === 'function'),
  /** Bytes given raw or as text (e.g. an encryption key): a Uint8Array, an ArrayBuffer or a string. */
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

/** An array whose every element passes `item` (an empty array passes). */
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
