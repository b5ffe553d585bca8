// Pacing to a host's request budget, learned from its 429s. A server that allows B requests per
// window W answers the request after the B-th with 429 and a Retry-After of about W. Narrowing
// concurrency alone (host-gate.ts) does not stop the next round of 429s: with short responses even
// a few requests in flight spend B in a fraction of W, and every request in flight when the budget
// runs out draws a 429. So the first 429 of an episode teaches two numbers: W (its pause) and B
// (the answers that arrived in the W before it, stragglers of the same burst included).
//
// From then on a request may start only while fewer than B of the host's requests are in flight or
// were answered in the last W. A request reached the server after it started and before its answer
// came back, so this counts, on the safe side, every request the server may still count: at most B
// arrive in any span of W, which a fixed window and a sliding one both admit, however late a busy
// event loop or a full socket delivers a request. It needs no margin for that skew, and it lets a
// burst of B out at once (an even spread would waste most of each window).
//
// A 429 while paced means B was too high (or the budget is shared with someone else): B shrinks by
// the starts the server refused, so it converges in one step on a fixed budget. B never grows
// while paced: at an exact budget a probe draws a 429 as its burst begins, and the pause that
// follows holds the rest of the burst for a whole window (and halves the concurrency window), far
// more than the probe could gain. Instead pacing ends with the concurrency window, QUIET_MS after
// the last 429 (host-gate.ts), and a budget learned too low costs at most that long. To bound that
// cost, small budgets are not paced: a lone 429 after light traffic (a busy service, a budget spent
// by others) would otherwise hold the host to a trickle for that long. Below MIN_PACED_BUDGET, and
// when nothing was answered, the pause and the concurrency window handle the host, as before.
//
// Pure: every method takes `now`, so it is tested without timers.
import { ANSWER_LOG_SIZE, type AnswerLog } from './answer-log.js';

/** Budgets below this are left to the pause and the concurrency window (see above). */
export const MIN_PACED_BUDGET = 10;

/** Added to W: clocks tick in whole ms, and a server's window may be a little longer than its Retry-After. */
export function paceMargin(windowMs: number): number {
  return Math.max(2, Math.ceil(windowMs / 200));
}

export class BudgetPacer {
  /** From the first 429 of an episode until its pause is over: what the budget is learned from. */
  #learning = false;
  #learnSince = 0;
  #learnWindow = 0;
  #refused = 0;
  /** Requests per `#span` ms; 0 while not pacing. */
  #budget = 0;
  #span = 0;

  /** The budget paced to (requests per `span` ms), or 0 when not pacing. */
  get budget(): number {
    return this.#budget;
  }

  get span(): number {
    return this.#span;
  }

  /** A 429 answered one of this connection's requests; the server asked for `pauseMs`. */
  refused(now: number, pauseMs: number): void {
    if (this.#learning) {
      this.#refused++;
      return;
    }
    this.#learning = true;
    this.#learnSince = now - pauseMs;
    this.#learnWindow = pauseMs;
    this.#refused = 1;
  }

  /**
   * Milliseconds until a request may start (0: now), given the host's answers and its requests in
   * flight. Call only when the host's pause is over: the first call after an episode learns from it.
   */
  wait(now: number, answers: AnswerLog, inFlight: number): number {
    if (this.#learning) this.#learn(now, answers);
    if (this.#budget === 0) return 0;
    // How many of the counted requests must leave the window before this one may start.
    const excess = answers.after(now - this.#span) + inFlight - this.#budget + 1;
    if (excess <= 0) return 0;
    // Answered ones leave it in order; one still in flight leaves no sooner than a span from now.
    const leaves = answers.nthAfter(excess);
    return leaves === undefined ? this.#span : Math.max(1, leaves + this.#span - now);
  }

  /** The host has been quiet: no more pacing, nothing learned. */
  reset(): void {
    this.#learning = false;
    this.#budget = 0;
    this.#span = 0;
  }

  #learn(now: number, answers: AnswerLog): void {
    this.#learning = false;
    // Paced already: the refused starts were the excess. Else: what the server allowed in the window.
    const budget = this.#budget > 0 ? Math.max(1, this.#budget - this.#refused) : answers.countSince(this.#learnSince, now);
    if (budget < MIN_PACED_BUDGET || budget >= ANSWER_LOG_SIZE) {
      // Too small to tell from a lone 429 (see above), or more than the log can count.
      this.reset();
      return;
    }
    this.#budget = budget;
    this.#span = this.#learnWindow + paceMargin(this.#learnWindow);
  }
}
