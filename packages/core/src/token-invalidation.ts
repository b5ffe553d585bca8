/**
 * Listeners of a session's `onInvalidate`: a platform session composes one and calls `notify()`
 * after logout or an account switch, so every Connection using it drops its in-memory token.
 */
export class TokenInvalidation {
  readonly #listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
