// The scale-out extension point for throttling: several Connections (tabs, workers, service
// instances) share what each learns from a 429, so that one instance's throttle pauses them all.

/** A host paused by a 429: no request to `host` should start before `until`. */
export interface ThrottlePause {
  /** The paused host as the connection compares hosts: lower-case `host[:port]` (e.g. `graph.microsoft.com`). */
  host: string;
  /** When the pause ends, in epoch milliseconds (`Date.now()` clock). */
  until: number;
}

/**
 * Carries throttle pauses between Connections. A Connection given one (the `throttleChannel`
 * option) publishes each pause it starts after a 429, and applies each pause it hears exactly as if
 * it had seen the 429 itself. Pauses are pushed: nothing is read on the path of an unthrottled
 * request. Implementations: `BroadcastChannelThrottle` (tabs, workers, worker threads) and
 * `RedisThrottleChannel` from `@graphwire/redis` (service instances).
 */
export interface ThrottleChannel {
  /** Tells the other Connections on the channel that `pause.host` is paused until `pause.until`. */
  publish(pause: ThrottlePause): void;
  /**
   * Calls `listener` with each pause published by others on the channel; returns the function
   * that unsubscribes it. Messages may come from untrusted peers: the Connection validates them.
   */
  subscribe(listener: (pause: ThrottlePause) => void): () => void;
}

const MAX_HOST_LENGTH = 262; // a DNS name (253) plus `:65535`, or a bracketed IPv6 address with a port
const HOST = /^[^/\s@]+$/;
const noop = () => undefined;
const DEFAULT_PORT = /^(.+):(?:443|80)$/;

/**
 * A heard message as a pause, or `undefined` when it is not one (another tab's or peer's message is
 * untrusted): `host` a non-empty string without spaces, `/` or `@`, lower-cased as the connection
 * compares hosts; `until` a finite number.
 */
export function readPause(message: unknown): ThrottlePause | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { host, until } = message as Record<string, unknown>;
  if (typeof host !== 'string' || host.length > MAX_HOST_LENGTH || !HOST.test(host)) return undefined;
  if (typeof until !== 'number' || !Number.isFinite(until)) return undefined;
  return { host: host.toLowerCase(), until };
}

/** Publishes without letting a failing channel (closed, disconnected) fail the request that saw the 429. */
export function publishPause(channel: ThrottleChannel, pause: ThrottlePause): void {
  try {
    const result: unknown = channel.publish(pause);
    // An implementation may publish asynchronously: its rejection must not be unhandled.
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') (result as PromiseLike<unknown>).then(undefined, noop);
  } catch {
    // The pause still holds this connection; the peers will see their own 429.
  }
}

/**
 * Subscribes `apply` to the pauses heard on `channel`: malformed messages are dropped and `until` is
 * capped at `maxRetryAfter` from now (a buggy or hostile peer must not freeze the connection); a
 * host with port 443 or 80 is applied without it too. Returns the unsubscribe function; the channel
 * itself stays open (it may be shared).
 */
export function listenForPauses(
  channel: ThrottleChannel, maxRetryAfter: number, apply: (host: string, until: number) => void, now: () => number = Date.now,
): () => void {
  const unsubscribe = channel.subscribe((message: unknown) => {
    const pause = readPause(message);
    if (!pause) return;
    const until = Math.min(pause.until, now() + maxRetryAfter);
    apply(pause.host, until);
    // `graph.microsoft.com:443` is the connection's `graph.microsoft.com` (hosts compare as `url.host`,
    // without a default port). A message has no scheme: `x:443` may also be an http host's, so both
    // forms are applied; `apply` ignores the one the connection does not know.
    const bare = DEFAULT_PORT.exec(pause.host);
    if (bare) apply(bare[1]!, until);
  });
  return typeof unsubscribe === 'function' ? unsubscribe : noop;
}
