// The shared validator behind every graphwire constructor's options: messages name the package,
// the owner, the option and what was expected, list the known options, and never echo a string value.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { arrayOf, either, oneOf, optionRules as rules, validateOptions, type OptionRules } from '@graphwire/core';
import { unknownOptionError } from '../src/option-rules.js';

const RULES: OptionRules = {
  directory: { ...rules.string, aliases: ['path'] },
  clientSecret: rules.nonEmptyString,
  scopes: rules.scopes,
  flow: oneOf('credentials', 'device'),
  limit: rules.positiveInteger,
  store: rules.tokenStore,
  proxy: either(rules.url, oneOf(false)),
  ids: arrayOf(rules.nonEmptyString),
  nested: { ...rules.object, keys: { privateKey: { ...rules.string, required: true }, thumbprint: rules.string } },
};
const check = (options: unknown, known: OptionRules = RULES) => () => validateOptions('@graphwire/x', 'Thing', options, known);

describe('validateOptions', () => {
  it('passes valid options through unchanged, and undefined when nothing is required', () => {
    const options = {
      directory: '/tmp', clientSecret: 's', scopes: ['User.Read'], flow: 'device', limit: 2, proxy: new URL('http://p:1'),
      store: { load: async () => undefined, save: async () => undefined, delete: async () => undefined }, ids: ['a'],
      nested: { privateKey: 'k' },
    };
    expect(validateOptions('@graphwire/x', 'Thing', options, RULES)).toBe(options);
    expect(validateOptions('@graphwire/x', 'Thing', undefined, RULES)).toBeUndefined();
    expect(validateOptions('@graphwire/x', 'Thing', { directory: undefined }, RULES)).toEqual({ directory: undefined });
  });

  it('refuses an unknown key, suggesting the nearest name, and lists the known ones', () => {
    expect(check({ clientSecert: 'x' })).toThrow(TypeError);
    expect(check({ clientSecert: 'x' })).toThrow(
      "[@graphwire/x] Thing: unknown option 'clientSecert' (did you mean 'clientSecret'?); known options: directory, clientSecret, scopes, flow, limit, store, proxy, ids, nested",
    );
    expect(check({ path: '/x' })).toThrow(/unknown option 'path' \(did you mean 'directory'\?\)/); // an alias
    expect(check({ client_secret: 'x' })).toThrow(/unknown option 'client_secret' \(did you mean 'clientSecret'\?\)/); // snake_case
    expect(check({ zzzzzzzz: 1 })).toThrow(/unknown option 'zzzzzzzz'; known options: directory/);
  });

  it('refuses a wrong type, naming the option and what it must be', () => {
    expect(check({ directory: 42 })).toThrow("[@graphwire/x] Thing: option 'directory' must be a string (got 42)");
    expect(check({ scopes: 'User.Read' })).toThrow(/option 'scopes' must be a non-empty array of scope strings.*\(got a string of 9 characters\)/);
    expect(check({ scopes: [] })).toThrow(/option 'scopes' must be/);
    expect(check({ flow: 'public' })).toThrow("option 'flow' must be one of 'credentials', 'device' (got a string of 6 characters)");
    expect(check({ limit: 0 })).toThrow(/option 'limit' must be a whole number of at least 1 \(got 0\)/);
    expect(check({ store: { load() {} } })).toThrow(/option 'store' must be a TokenStore/);
    expect(check({ proxy: 'not a url' })).toThrow(/option 'proxy' must be an absolute URL \(a string or a URL\) or one of false/);
    expect(check({ proxy: true })).toThrow(/option 'proxy' must be/);
    expect(check({ ids: ['a', ''] })).toThrow(/option 'ids' must be an array of non-empty string values/);
    expect(check('options')).toThrow("[@graphwire/x] Thing: options must be an object (got a string of 7 characters)");
    expect(check(null)).toThrow(/options must be an object \(got null\)/);
    expect(check([])).toThrow(/options must be an object \(got an array of 0\)/);
  });

  it('checks the keys of a nested object, naming them by path', () => {
    expect(check({ nested: { privateKey: 'k', thumbprnt: 'x' } })).toThrow(
      "[@graphwire/x] Thing: unknown option 'nested.thumbprnt' (did you mean 'nested.thumbprint'?); known options of 'nested': privateKey, thumbprint",
    );
    expect(check({ nested: { privateKey: 7 } })).toThrow("option 'nested.privateKey' must be a string (got a number)"); // a secret's name: not echoed
    expect(check({ nested: {} })).toThrow("option 'nested.privateKey' is required: a string");
    expect(check({ nested: 'x' })).toThrow("option 'nested' must be an object (got a string of 1 character)");
  });

  it('a required option fails when missing, also with no options at all', () => {
    const known = { clientId: { ...rules.nonEmptyString, required: true } };
    expect(check(undefined, known)).toThrow("[@graphwire/x] Thing: option 'clientId' is required: a non-empty string");
    expect(check({}, known)).toThrow(/option 'clientId' is required/);
    expect(check({ clientId: 'a' }, known)).not.toThrow();
  });

  it('never echoes a string value, which may be a secret', () => {
    const secret = 'S3CRET-VALUE-do-not-print';
    for (const options of [{ limit: secret }, { flow: secret }, { scopes: secret }, { proxy: `http://u:${secret}@[x` }, { nested: { privateKey: 1, thumbprint: secret } }]) {
      let message = '';
      try {
        validateOptions('@graphwire/x', 'Thing', options, RULES);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^\[@graphwire\/x\] Thing: option/);
      expect(message).not.toContain('S3CRET');
    }
  });

  it('never echoes a number or bigint given for a secret-looking option, and echoes it elsewhere', () => {
    const known: OptionRules = {
      clientSecret: rules.nonEmptyString, password: rules.nonEmptyString, encryptionKey: rules.string, userAssertion: rules.string,
      passphrase: rules.string, accessToken: rules.string, clientCredential: rules.string, maxPerBatch: rules.positiveInteger,
      nested: { ...rules.object, keys: { privateKey: rules.string } },
    };
    const message = (options: unknown) => {
      try {
        validateOptions('@graphwire/x', 'Thing', options, known);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    for (const key of ['clientSecret', 'password', 'encryptionKey', 'userAssertion', 'passphrase', 'accessToken', 'clientCredential']) {
      expect(message({ [key]: 982734612398 })).toBe(`[@graphwire/x] Thing: option '${key}' must be ${known[key]!.expected} (got a number)`);
      expect(message({ [key]: 123456789012345678901234567890n })).toMatch(/\(got a bigint\)$/);
    }
    expect(message({ nested: { privateKey: 20240101 } })).toMatch(/option 'nested.privateKey' must be a string \(got a number\)$/);
    expect(message({ maxPerBatch: 21.5 })).toMatch(/\(got 21\.5\)$/); // ordinary options keep the helpful value
    expect(message({ maxPerBatch: 21n })).toMatch(/\(got 21n\)$/);
  });

  it('refuses options that are not a plain object: an array, a Map, a class instance', () => {
    class Settings {
      directory = '/tmp';
    }
    expect(check(new Map([['directory', '/tmp']]))).toThrow(
      '[@graphwire/x] Thing: options must be a plain object such as { name: value } (got an object (Map))',
    );
    expect(check(new Settings())).toThrow(/options must be a plain object .*\(got an object \(Settings\)\)/);
    expect(check(new Date())).toThrow(/options must be a plain object/);
    expect(check(['/tmp'])).toThrow(/options must be an object \(got an array of 1\)/);
    // Plain objects pass: literals, null-prototype objects, and those of another realm (an iframe, a vm context).
    expect(check({ directory: '/tmp' })).not.toThrow();
    expect(check(Object.assign(Object.create(null), { directory: '/tmp' }))).not.toThrow();
    expect(check(runInNewContext('({ directory: "/tmp" })'))).not.toThrow();
  });

  it('words the error of a hand-written unknown-key check as the validator does', () => {
    const error = unknownOptionError('@graphwire/x', 'request', 'signl', ['headers', 'signal', 'timeout']);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("[@graphwire/x] request: unknown option 'signl' (did you mean 'signal'?); known options: headers, signal, timeout");
    expect(unknownOptionError('@graphwire/x', 'Thing', 'path', RULES).message).toMatch(/unknown option 'path' \(did you mean 'directory'\?\)/);
  });
});
