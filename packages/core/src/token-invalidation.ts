/**
 * Listeners of a session's `onInvalidate`: a platform session composes one and calls `notify()`
 * after logout or an account switch, so every Connection using it drops its in-memory token.
 */
export class TokenInvalidation {
  readonly #listeners = new Set<() => void>();

  /**
   * Adds a listener (a session's `onInvalidate` delegates here).
   *
   * @returns A function that removes the listener again.
   */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls every listener once, synchronously; an exception a listener throws propagates to the caller. */
  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
