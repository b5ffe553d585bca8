// A ThrottleChannel on the standard BroadcastChannel: the tabs and workers of one origin in a
// browser, the worker threads of a Node process, Deno and Bun share their 429 pauses.
import { configError } from './errors/config-error.js';
import { type ThrottleChannel, type ThrottlePause, readPause } from './throttle-channel.js';

type Listener = (pause: ThrottlePause) => void;

/**
 * Shares throttle pauses over a `BroadcastChannel` of the given name: give each Connection one as
 * its `throttleChannel` option, and a 429 seen by any of them (in any tab, worker or worker
 * thread of the same origin) pauses that host for all.
 *
 * ```ts
 * const con = new Connection({ session, throttleChannel: new BroadcastChannelThrottle() });
 * ```
 *
 * A `BroadcastChannel` delivers to the other objects of that name only, never to itself: so one
 * instance also delivers what it publishes to its own other subscribers. Several Connections of one
 * context may therefore share one instance (or use one instance each: both work). Closing a
 * Connection leaves the channel open; call {@link BroadcastChannelThrottle.close} when done with it.
 * In Node the channel does not keep the process alive.
 */
export class BroadcastChannelThrottle implements ThrottleChannel {
  /** The BroadcastChannel name: only instances of the same name (and origin) hear each other. */
  readonly name: string;
  readonly #channel: BroadcastChannel;
  readonly #listeners = new Set<Listener>();
  #closed = false;

  /** @param name - The channel name, default `'graphwire-throttle'`. */
  constructor(name = 'graphwire-throttle') {
    if (typeof name !== 'string' || name === '') throw configError('BroadcastChannelThrottle: the channel name must be a non-empty string');
    if (typeof BroadcastChannel !== 'function') {
      throw configError('BroadcastChannelThrottle: this runtime has no BroadcastChannel; pass another ThrottleChannel (e.g. RedisThrottleChannel from @graphwire/redis)');
    }
    this.name = name;
    this.#channel = new BroadcastChannel(name);
    // Node's BroadcastChannel keeps the event loop alive; a throttle channel must not hold a process open.
    (this.#channel as { unref?: () => void }).unref?.();
    this.#channel.onmessage = (event: MessageEvent) => {
      const pause = readPause(event.data); // another context's message: untrusted
      if (pause) this.#deliver(pause);
    };
  }

  /** Posts the pause to the other contexts and delivers it to this instance's other subscribers. No-op once closed. */
  publish(pause: ThrottlePause): void {
    if (this.#closed) return;
    const message: ThrottlePause = { host: pause.host, until: pause.until }; // only these two fields travel
    this.#channel.postMessage(message);
    this.#deliver(message);
  }

  /** Calls `listener` with every pause heard; returns the function that unsubscribes it. */
  subscribe(listener: (pause: ThrottlePause) => void): () => void {
    if (this.#closed) return () => undefined;
    const entry: Listener = (pause) => listener(pause); // the same function subscribed twice is two subscriptions
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Closes the underlying BroadcastChannel and drops every subscriber. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#channel.onmessage = null;
    this.#channel.close();
  }

  #deliver(pause: ThrottlePause): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener({ ...pause }); // each subscriber its own copy
      } catch {
        // One subscriber's failure must not keep the pause from the others.
      }
    }
  }
}
