// A distributed lock on one Redis key: SET NX PX with a random owner value, renewed while held by a
// compare-and-pexpire script, released by a compare-and-delete script. A holder that dies stops
// renewing, so its lock expires after its TTL and the next instance takes it.
import { Unavailable, type RedisCalls } from './availability.js';

const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

export interface LockTiming {
  ttlMs: number;
  timeoutMs: number;
  /** Renewal stops this long after the lock was taken (a hung holder frees the fleet). */
  maxHoldMs: number;
}

/** How a lease ended, for the store to report. */
export type LeaseEnd =
  | { state: 'released' }
  /** The key was gone or someone else's at a renewal or at release: another instance may have run meanwhile. */
  | { state: 'lost'; detail: string }
  /** Redis stopped answering while held: nobody can tell whether it expired. */
  | { state: 'unknown'; error: Unavailable };

/** The lock, held: renewed every ttl/3 until {@link Lease.release}. */
export class Lease {
  readonly #calls: RedisCalls;
  readonly #key: string;
  readonly #owner: string;
  readonly #ttlMs: number;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #holdUntil: number;
  readonly #onLost: ((detail: string) => void) | undefined;
  #confirmedUntil: number;
  #end: LeaseEnd | undefined;
  #renewing: Promise<void> | undefined;

  constructor(calls: RedisCalls, key: string, owner: string, ttlMs: number, sentAt: number, maxHoldMs = Infinity, onLost?: (detail: string) => void) {
    this.#calls = calls;
    this.#holdUntil = sentAt + maxHoldMs;
    this.#onLost = onLost;
    this.#key = key;
    this.#owner = owner;
    this.#ttlMs = ttlMs;
    this.#confirmedUntil = sentAt + ttlMs;
    this.#timer = setInterval(() => { this.#renewing ??= this.#renew().finally(() => { this.#renewing = undefined; }); }, Math.max(1, Math.floor(ttlMs / 3)));
    // A lease never keeps a process alive by itself: the work it guards does.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /** Undefined while the lease is believed held. */
  get end(): LeaseEnd | undefined {
    return this.#end;
  }

  async #renew(): Promise<void> {
    if (this.#end) return;
    const sentAt = Date.now();
    if (sentAt >= this.#holdUntil) {
      this.#stop({ state: 'lost', detail: 'it was held longer than `lockMaxHoldMs`, so renewing stopped and it expired (or will) after `lockTtlMs`' });
      return;
    }
    try {
      const renewed = await this.#calls.send(this.#key, ['EVAL', RENEW, '1', this.#key, this.#owner, String(this.#ttlMs)]);
      if (Number(renewed) === 1) this.#confirmedUntil = sentAt + this.#ttlMs;
      else this.#stop({ state: 'lost', detail: 'it had expired or belonged to another holder at a renewal' });
    } catch (error) {
      // Still ours if Redis comes back before the TTL ran out; past it, another instance may hold it.
      if (error instanceof Unavailable && Date.now() >= this.#confirmedUntil) {
        this.#stop({ state: 'lost', detail: `Redis could not confirm it before it expired (${error.reason})` });
      }
      else if (!(error instanceof Unavailable)) this.#stop({ state: 'lost', detail: `a renewal failed (${String(error)})` });
    }
  }

  #stop(end: LeaseEnd): void {
    const first = this.#end === undefined;
    this.#end ??= end;
    clearInterval(this.#timer);
    if (first && end.state === 'lost') this.#onLost?.(end.detail);
  }

  /** Stops renewing and deletes the key if it is still ours; resolves to how the lease ended. */
  async release(): Promise<LeaseEnd> {
    clearInterval(this.#timer);
    await this.#renewing;
    if (this.#end) return this.#end;
    try {
      const deleted = await this.#calls.send(this.#key, ['EVAL', RELEASE, '1', this.#key, this.#owner]);
      this.#stop(Number(deleted) === 1 ? { state: 'released' } : { state: 'lost', detail: 'it had expired or belonged to another holder at release' });
    } catch (error) {
      // Unreleased, it expires after its TTL.
      this.#stop(error instanceof Unavailable ? { state: 'unknown', error } : { state: 'lost', detail: `the release failed (${String(error)})` });
    }
    return this.#end!;
  }
}

/**
 * Takes the lock on `key`: `SET key owner NX PX ttl`, polled with growing, jittered pauses until
 * `timeoutMs`. Resolves to the lease, or to `'timeout'`; rejects with {@link Unavailable}.
 */
export async function acquire(calls: RedisCalls, key: string, timing: LockTiming, onLost?: (detail: string) => void): Promise<Lease | 'timeout'> {
  const owner = crypto.randomUUID();
  const deadline = Date.now() + timing.timeoutMs;
  let pause = 5;
  for (;;) {
    const sentAt = Date.now();
    const reply = await calls.send(key, ['SET', key, owner, 'NX', 'PX', String(timing.ttlMs)]);
    if (reply === 'OK') return new Lease(calls, key, owner, timing.ttlMs, sentAt, timing.maxHoldMs, onLost);
    const left = deadline - Date.now();
    if (left <= 0) return 'timeout';
    // Jitter so that waiters released at the same instant do not retry in lockstep.
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, pause * (0.5 + Math.random()))));
    pause = Math.min(pause * 1.5, 100);
  }
}
