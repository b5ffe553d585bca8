import { either, oneOf, optionRules as rules, validateOptions, type OptionRule } from '@graphwire/core';
import type { Fault } from './fault.js';
import type { ThrottleOptions } from './throttle.js';

const PACKAGE = '@graphwire/testing';

const port: OptionRule = { expected: 'a port number from 0 to 65535', test: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535 };
const status: OptionRule = { expected: 'an HTTP status from 100 to 599', test: (v) => Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599 };
const nonNegative: OptionRule = { expected: 'a number of at least 0', test: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 };
const stringRecord: OptionRule = {
  expected: 'an object of header names to string values',
  test: (v) => rules.object.test(v) && Object.values(v as object).every((value) => typeof value === 'string'),
};

// Keys and rules of GraphSimulatorOptions; graph-simulator.ts's interface documents each.
const SIMULATOR_RULES = {
  port,
  host: rules.nonEmptyString,
  users: rules.nonNegativeInteger,
  me: rules.object,
  validateToken: rules.function,
  requireAuth: rules.boolean,
  throttle: rules.object,
  latencyMs: rules.milliseconds,
  batchResponseOrder: oneOf('input', 'reversed', 'shuffled'),
  keepUploadedContent: rules.nonNegativeInteger,
  uploadFragmentMultiple: rules.positiveInteger,
};

const THROTTLE_RULES = {
  limit: rules.nonNegativeInteger,
  windowMs: rules.positiveMilliseconds,
  retryAfterSeconds: nonNegative,
  retryAfterFormat: oneOf('seconds', 'date'),
  sliding: rules.boolean,
};

const FAULT_RULES = {
  status,
  code: rules.string,
  message: rules.string,
  retryAfter: either(nonNegative, rules.string),
  claims: rules.string,
  body: either(rules.string, { expected: 'a Uint8Array', test: (v) => v instanceof Uint8Array }),
  contentType: rules.string,
  headers: stringRecord,
  latencyMs: rules.milliseconds,
  reset: rules.boolean,
  redirect: rules.nonEmptyString,
  redirectStatus: status,
  execute: rules.boolean,
};

/** A typo such as `throtle` is a TypeError naming it, never a simulator quietly running without it. */
export function validateSimulatorOptions<T extends object>(options: T): T {
  validateOptions(PACKAGE, 'startGraphSimulator', options, SIMULATOR_RULES);
  const throttle = (options as { throttle?: ThrottleOptions }).throttle;
  if (throttle !== undefined) {
    validateOptions(PACKAGE, 'startGraphSimulator({ throttle })', throttle, THROTTLE_RULES);
    if (throttle.limit === undefined) {
      throw new TypeError(`[${PACKAGE}] startGraphSimulator({ throttle }): option 'limit' is required; known options: ${Object.keys(THROTTLE_RULES).join(', ')}`);
    }
  }
  return options;
}

export function validateFaults(route: string, faults: readonly Fault[]): void {
  if (!Array.isArray(faults)) throw new TypeError(`[${PACKAGE}] script('${route}'): faults must be an array of Fault objects`);
  faults.forEach((fault, index) => {
    if (fault === null || typeof fault !== 'object') {
      throw new TypeError(`[${PACKAGE}] script('${route}') faults[${index}]: a fault must be an object, e.g. { status: 503 }`);
    }
    validateOptions(PACKAGE, `script('${route}') faults[${index}]`, fault, FAULT_RULES);
  });
}
