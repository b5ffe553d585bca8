import { toGraphAuthError } from './errors.js';

/**
 * Tells when MSAL hands the sign-in URL to the browser. MSAL's promise for a redirect settles only
 * if navigation fails (after a timeout), so waiting for it would stall the caller; the session's own
 * MSAL configuration calls `started()` from `onRedirectNavigate` instead.
 */
export class RedirectNavigation {
  readonly #listeners = new Set<() => void>();

  /** For `auth.onRedirectNavigate`. */
  started(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  /**
   * Resolves once navigation starts (or MSAL's promise resolves, for an instance configured
   * elsewhere); rejects with a GraphAuthError when MSAL fails before navigating.
   */
  run(start: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const started = () => {
        this.#listeners.delete(started);
        resolve();
      };
      this.#listeners.add(started);
      start().then(started, (error: unknown) => {
        this.#listeners.delete(started);
        reject(toGraphAuthError(error, 'redirect sign-in'));
      });
    });
  }
}
