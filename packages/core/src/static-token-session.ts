import { configError } from './errors/config-error.js';
import { type OptionRules, rules, validateOptions } from './option-rules.js';
import type { AccessToken, AuthSession, TokenRequest } from './session.js';

/** A token obtained elsewhere: a fixed string, an AccessToken, or a callback that fetches one. */
export type StaticTokenSource =
  | string
  | AccessToken
  | ((request: TokenRequest) => string | AccessToken | Promise<string | AccessToken>);

// A fixed string carries no expiry: treat it as valid until the server says otherwise (401).
const NO_EXPIRY = Number.MAX_SAFE_INTEGER;

const ACCESS_TOKEN_RULES: OptionRules = {
  token: { ...rules.nonEmptyString, required: true, aliases: ['accessToken', 'access_token'] },
  expiresOn: { expected: 'a time in epoch milliseconds (e.g. Date.now() + 3_600_000)', test: (v) => rules.number.test(v), required: true, aliases: ['expiresAt', 'expires_on', 'expiry'] },
};

/** The session manager for tokens graphwire does not acquire itself (python-o365's token_backend with a ready token). */
export class StaticTokenSession implements AuthSession {
  readonly #source: StaticTokenSource;

  constructor(source: StaticTokenSource) {
    const ok =
      (typeof source === 'string' && source !== '') ||
      typeof source === 'function' ||
      (typeof source === 'object' && source !== null && typeof source.token === 'string');
    if (!ok) throw configError('StaticTokenSession needs a non-empty token string, an AccessToken, or a function returning one');
    // An AccessToken is checked like options: a typo (`expiresOm`) would otherwise fail only at the first request.
    if (typeof source === 'object') validateOptions('@graphwire/core', 'StaticTokenSession', source, ACCESS_TOKEN_RULES);
    this.#source = source;
  }

  /**
   * The token given, or the callback's result (it runs on each acquisition; a Connection keeps the
   * token until `refreshMargin` before its expiry). A string counts as never expiring.
   *
   * @returns A promise of the token; it rejects with whatever the callback throws or rejects with.
   */
  async getAccessToken(request: TokenRequest): Promise<AccessToken> {
    const value = typeof this.#source === 'function' ? await this.#source(request) : this.#source;
    return typeof value === 'string' ? { token: value, expiresOn: NO_EXPIRY } : value;
  }
}
