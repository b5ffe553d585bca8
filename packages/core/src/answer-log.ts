// When a host's last answers (non-429 responses) arrived: what its budget is learned from and
// paced against (budget-pacer.ts). Recorded on every answer, so it is a preallocated ring: O(1) and
// allocation-free per answer. Answers arrive in time order, so "answers after `since`" is a suffix
// of the ring, found by a tail index that only moves forward while `since` does.

/** Answers remembered per host; budgets are paced up to this size (see budget-pacer.ts). */
export const ANSWER_LOG_SIZE = 512;

export class AnswerLog {
  readonly #times = new Float64Array(ANSWER_LOG_SIZE);
  /** Answers recorded so far; answer `i` is at `i % size` while `i >= #recorded - size`. */
  #recorded = 0;
  /** The oldest answer after `#tailSince`. */
  #tail = 0;
  #tailSince = Number.NEGATIVE_INFINITY;

  record(now: number): void {
    this.#times[this.#recorded % ANSWER_LOG_SIZE] = now;
    this.#recorded++;
  }

  /** Answers that arrived after `since`, up to the ring's size. O(1) amortized while `since` does not go back. */
  after(since: number): number {
    if (since < this.#tailSince) this.#tail = 0; // a longer window than last time: look again from the start
    this.#tailSince = since;
    let tail = Math.max(this.#tail, this.#recorded - ANSWER_LOG_SIZE);
    while (tail < this.#recorded && this.#times[tail % ANSWER_LOG_SIZE]! <= since) tail++;
    this.#tail = tail;
    return this.#recorded - tail;
  }

  /** When the `n`-th oldest of the answers after the last `after(since)` arrived (1-based), if there are that many. */
  nthAfter(n: number): number | undefined {
    const index = this.#tail + n - 1;
    return index < this.#recorded ? this.#times[index % ANSWER_LOG_SIZE] : undefined;
  }

  /**
   * Answers that arrived after `since` (up to `now`). When all the ring holds are that recent, older
   * ones were overwritten: the count is extrapolated at the rate the ring covers, rounded down.
   */
  countSince(since: number, now: number): number {
    const count = this.after(since);
    if (count < ANSWER_LOG_SIZE) return count;
    const covered = now - this.#times[this.#tail % ANSWER_LOG_SIZE]!;
    return covered > 0 ? Math.max(count, Math.floor((count * (now - since)) / covered)) : count;
  }
}
