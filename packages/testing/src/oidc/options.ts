import { validateOptions, type OptionRules } from '@graphwire/core';

/** The package prefix of every options error of `@graphwire/testing`'s OpenID helpers. */
export const PACKAGE = '@graphwire/testing';

/** Checks an options bag with graphwire's shared validator: unknown keys and wrong types are a TypeError. */
export function checkOptions<T>(owner: string, options: T, rules: OptionRules): T {
  return validateOptions(PACKAGE, owner, options, rules);
}
