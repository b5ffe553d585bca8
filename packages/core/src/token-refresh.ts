// The token refresh orchestrator: one in-memory token per connection, refreshed before expiry,
// with concurrent callers sharing one acquisition (single flight).
import { GraphAuthError, isGraphAuthError } from './errors/graph-auth-error.js';
import type { Logger } from './logger.js';
import type { AccessToken, AuthSession } from './session.js';
import { type Telemetry, safely } from './telemetry.js';

interface Flight {
  forced: boolean;
  claims: string | undefined;
  promise: Promise<AccessToken>;
}

export class TokenRefresher {
  readonly #session: AuthSession | undefined;
  readonly #scopes: string[];
  readonly #margin: number;
  readonly #logger: Logger;
  readonly #telemetry: Telemetry | undefined;
  #current: AccessToken | undefined;
  #flight: Flight | undefined;
  /** Bumped by clear(): an acquisition started before a sign-out must not reinstall its token. */
  #generation = 0;

  constructor(session: AuthSession | undefined, scopes: string[], refreshMargin: number, logger: Logger, telemetry?: Telemetry) {
    this.#session = session;
    this.#scopes = scopes;
    this.#margin = refreshMargin;
    this.#logger = logger;
    this.#telemetry = telemetry;
  }

  /** Forgets the current token (the session was signed out); an acquisition under way is not reused. */
  clear(): void {
    this.#current = undefined;
    this.#flight = undefined;
    this.#generation++;
  }

  /** The current token if it is not within the refresh margin of expiry; no await on the hot path. */
  fresh(): string | undefined {
    return this.#usable()?.token;
  }

  /**
   * After the server rejected `rejected` (401): a forced refresh, unless another caller already
   * replaced that token, so a burst of 401s causes one refresh, not one each.
   */
  async afterRejection(rejected: string, claims: string | undefined, signal?: AbortSignal): Promise<string> {
    const current = this.#current;
    if (!claims && current && current.token !== rejected) return current.token;
    return (await this.get({ forceRefresh: true, claims, signal })).token;
  }

  async get(options: { forceRefresh?: boolean; claims?: string; signal?: AbortSignal } = {}): Promise<AccessToken> {
    const { forceRefresh = false, claims, signal } = options;
    const usable = forceRefresh || claims ? undefined : this.#usable();
    if (usable) return usable;
    let flight = this.#flight;
    // Join a flight that satisfies this request; a forced or claims request cannot use a plain one.
    if (!flight || (forceRefresh && !flight.forced) || (claims !== undefined && flight.claims !== claims)) {
      flight = this.#start(forceRefresh, claims);
    }
    return signal ? raceAbort(flight.promise, signal) : flight.promise;
  }

  #usable(): AccessToken | undefined {
    const current = this.#current;
    return current && current.expiresOn - this.#margin > Date.now() ? current : undefined;
  }

  #start(forceRefresh: boolean, claims: string | undefined): Flight {
    const promise = this.#acquire(forceRefresh, claims).finally(() => {
      if (this.#flight === flight) this.#flight = undefined;
    });
    const flight: Flight = { forced: forceRefresh || claims !== undefined, claims, promise };
    this.#flight = flight;
    return flight;
  }

  async #acquire(forceRefresh: boolean, claims: string | undefined): Promise<AccessToken> {
    const session = this.#session;
    if (!session) {
      throw new GraphAuthError(
        '[@graphwire/core] this request needs a token but the Connection has no session: pass `session` to new Connection(), or use con.naive for unauthenticated calls',
        { errorCode: 'no_session' },
      );
    }
    const generation = this.#generation;
    const began = Date.now();
    let result: AccessToken;
    try {
      result = await session.getAccessToken({ scopes: this.#scopes, forceRefresh, ...(claims ? { claims } : {}) });
    } catch (error) {
      this.#acquired(forceRefresh || claims !== undefined, false, began);
      this.#logger.debug(`[@graphwire/core] token acquisition failed (${errorName(error)})`);
      if (isGraphAuthError(error)) throw error;
      throw new GraphAuthError(`[@graphwire/core] the session could not acquire an access token (${errorName(error)})`, {
        cause: error,
      });
    }
    const usable = !!result && typeof result.token === 'string' && result.token !== '' && Number.isFinite(result.expiresOn);
    this.#acquired(forceRefresh || claims !== undefined, usable, began);
    if (!usable) {
      throw new GraphAuthError(
        '[@graphwire/core] the session returned no usable access token: getAccessToken() must resolve { token: string, expiresOn: epoch ms }',
        { errorCode: 'invalid_token_response' },
      );
    }
    const token = { token: result.token, expiresOn: result.expiresOn };
    if (generation === this.#generation) this.#current = token;
    const seconds = Math.round((result.expiresOn - Date.now()) / 1000);
    const expiry = seconds > 31_536_000 ? 'no known expiry' : `expires in ${seconds} s`;
    this.#logger.debug(`[@graphwire/core] token acquired (forced: ${forceRefresh || !!claims}, ${expiry})`);
    return token;
  }

  #acquired(forced: boolean, ok: boolean, began: number): void {
    const telemetry = this.#telemetry;
    if (telemetry) safely(() => telemetry.tokenAcquired?.({ forced, ok, durationMs: Date.now() - began }));
  }
}

function errorName(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { errorCode?: unknown }).errorCode;
    return typeof code === 'string' ? `${error.name}: ${code}` : error.name;
  }
  return typeof error;
}

/** The shared acquisition keeps running for other callers; only this caller stops waiting. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
