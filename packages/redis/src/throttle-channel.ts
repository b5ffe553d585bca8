import {
  optionRules as rules, type Logger, type OptionRules, type ThrottleChannel, type ThrottlePause,
} from '@graphwire/core';
import { RedisCalls, resolveLogger } from './availability.js';
import { closeOwned, CLIENT_EXPECTED, isRedisClient, requireOpen, type RedisClientLike } from './client.js';
import { checkOptions, reasonOf } from './errors.js';

/** Options of `new RedisThrottleChannel()`; an unknown key or a wrong type throws a `TypeError`. */
export interface RedisThrottleChannelOptions {
  /** A connected client of the `redis` package (required): publishes pauses and reads current ones. */
  client: RedisClientLike;
  /**
   * A connected client for the subscription (a subscribed node-redis connection can do nothing
   * else). Default: `client.duplicate()`, the one connection the channel opens itself, with the
   * client's own options; `close()` closes it. A `subscriber` you pass is yours: `close()` only unsubscribes.
   */
  subscriber?: RedisClientLike;
  /**
   * The pub/sub channel (default `'graphwire:throttle'`); current pauses are kept in the hash
   * `<channel>:pauses`, which expires when the last pause ends. Instances share pauses only on the same channel.
   */
  channel?: string;
  /**
   * A Redis call with no reply within this many ms counts as Redis being unavailable (default 1000);
   * it also bounds the subscriber's connect, subscribe and unsubscribe.
   */
  commandTimeoutMs?: number;
  /** The longest pause kept and shared (default 86 400 000 ms, 24 h): a later `until` is cut to now + this. */
  maxPauseMs?: number;
  /** Where the outage warning and the recovery line go (default `console`). */
  logger?: Partial<Logger>;
}

export const REDIS_THROTTLE_CHANNEL_RULES: OptionRules = {
  client: { expected: CLIENT_EXPECTED, test: isRedisClient, required: true, aliases: ['redis', 'publisher', 'connection'] },
  subscriber: { expected: CLIENT_EXPECTED, test: isRedisClient, aliases: ['subscriberClient', 'sub'] },
  channel: { ...rules.nonEmptyString, aliases: ['name', 'channelName', 'prefix', 'keyPrefix'] },
  commandTimeoutMs: { ...rules.positiveMilliseconds, aliases: ['commandTimeout', 'timeoutMs'] },
  maxPauseMs: { ...rules.positiveMilliseconds, aliases: ['maxPause', 'maxUntilMs'] },
  logger: { ...rules.object, aliases: ['log'] },
};

const OWNER = 'RedisThrottleChannel';
// Keeps the later end of a host's pause, makes the hash outlive it, and tells every subscriber.
const PUBLISH = `local cur = tonumber(redis.call('hget', KEYS[1], ARGV[1]))
if not cur or cur < tonumber(ARGV[2]) then redis.call('hset', KEYS[1], ARGV[1], ARGV[2]) end
if redis.call('pttl', KEYS[1]) < tonumber(ARGV[3]) then redis.call('pexpire', KEYS[1], ARGV[3]) end
return redis.call('publish', ARGV[4], ARGV[5])`;
const MAX_MESSAGE = 512;

type Listener = (pause: ThrottlePause) => void;

/**
 * The core's `ThrottleChannel` over Redis pub/sub, for several instances of a service: a 429 seen
 * by one instance pauses that host for every instance
 * (`new Connection({ session, throttleChannel: new RedisThrottleChannel({ client }) })`).
 * Each pause is also kept in Redis until it ends, so an instance that starts, or reconnects, during
 * a pause honours it. With Redis unavailable, pauses stay local (this instance's own Connections)
 * with one warning per outage; publishing never fails a request.
 */
export class RedisThrottleChannel implements ThrottleChannel {
  /** The pub/sub channel name. */
  readonly channel: string;
  /** The hash of current pauses (host → end, epoch ms). */
  readonly pausesKey: string;
  readonly #calls: RedisCalls;
  readonly #timeoutMs: number;
  readonly #maxPauseMs: number;
  readonly #subscriber: RedisClientLike;
  readonly #owned: boolean;
  readonly #listeners = new Set<Listener>();
  readonly #id = crypto.randomUUID();
  readonly #onMessage = (message: string) => this.#heard(message);
  readonly #onReady = () => { if (this.#started) void this.#catchUp(); }; // a reconnect: pauses may have been published meanwhile
  readonly #onError = (error: unknown) => this.#calls.markDown(`subscriber: ${reasonOf(error)}`);
  #subscribed: Promise<void> | undefined;
  #started = false;
  #closed = false;

  constructor(options: RedisThrottleChannelOptions) {
    checkOptions(OWNER, options, REDIS_THROTTLE_CHANNEL_RULES);
    requireOpen(OWNER, options.client);
    if (options.subscriber) requireOpen(OWNER, options.subscriber, 'subscriber');
    this.channel = options.channel ?? 'graphwire:throttle';
    this.pausesKey = `${this.channel}:pauses`;
    this.#timeoutMs = options.commandTimeoutMs ?? 1000;
    this.#maxPauseMs = options.maxPauseMs ?? 86_400_000;
    this.#calls = new RedisCalls({
      client: options.client,
      timeoutMs: this.#timeoutMs,
      logger: resolveLogger(options.logger),
      owner: OWNER,
      degraded: "429 pauses stay within this instance",
    });
    this.#owned = options.subscriber === undefined;
    this.#subscriber = options.subscriber ?? options.client.duplicate();
    if (this.#owned) this.#subscriber.on('error', this.#onError); // ours: an unhandled 'error' would crash the process
    this.#subscriber.on('ready', this.#onReady);
  }

  /**
   * Tells every instance on the channel (and this one's other subscribers at once) that `pause.host`
   * is paused until `pause.until` (at most `maxPauseMs` from now, in whole ms), and keeps the pause
   * in Redis until it ends. Never throws.
   */
  publish(pause: ThrottlePause): void {
    if (this.#closed || !isPause(pause)) return;
    const now = Date.now();
    const message: ThrottlePause = { host: pause.host, until: Math.ceil(Math.min(pause.until, now + this.#maxPauseMs)) };
    this.#deliver(message);
    const ttl = Math.max(1, message.until - now);
    const wire = JSON.stringify({ ...message, from: this.#id });
    this.#calls.send(this.pausesKey, ['EVAL', PUBLISH, '1', this.pausesKey, message.host, String(message.until), String(ttl), this.channel, wire])
      .catch(() => undefined); // unavailable: already logged; the pause holds this instance anyway
  }

  /**
   * Calls `listener` with every pause other instances publish, and at once with the pauses still
   * running in Redis; returns the function that unsubscribes it.
   */
  subscribe(listener: (pause: ThrottlePause) => void): () => void {
    if (this.#closed) return () => undefined;
    const entry: Listener = (pause) => listener(pause);
    this.#listeners.add(entry);
    const started = this.#subscribed !== undefined;
    void this.ready().then(() => (started ? this.#catchUp(entry) : undefined));
    return () => { this.#listeners.delete(entry); };
  }

  /**
   * Resolves once the channel is subscribed and the pauses running in Redis were delivered (the
   * first `subscribe` starts this; calling it starts it too). Resolves, without throwing, when
   * Redis is unavailable: pauses then stay local until it is back.
   */
  ready(): Promise<void> {
    if (this.#closed) return Promise.resolve(); // closed: never reopens the subscriber
    this.#subscribed ??= this.#start();
    return this.#subscribed;
  }

  /**
   * Unsubscribes, drops every listener and closes the subscriber connection if the channel opened it
   * (at once, if Redis does not answer within `commandTimeoutMs`). Idempotent; completes promptly even
   * while Redis is unreachable. Afterwards `ready()` and `subscribe()` do nothing.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#subscriber.off?.('ready', this.#onReady);
    try {
      await this.#bounded(this.#subscribed ?? Promise.resolve(), 'subscribe');
      if (this.#subscriber.isOpen && this.#subscriber.isReady !== false) {
        await this.#bounded(this.#subscriber.unsubscribe(this.channel, this.#onMessage), 'unsubscribe');
      }
    } catch {
      // Closing must not fail because Redis is gone.
    }
    if (this.#owned) {
      try {
        if (this.#subscriber.isReady) await this.#bounded(closeOwned(this.#subscriber), 'close');
      } catch {
        // Destroyed below.
      }
      if (this.#subscriber.isOpen) this.#subscriber.destroy?.();
      // Kept until here: a late 'error' of a connection being torn down must not crash the process.
      this.#subscriber.off?.('error', this.#onError);
    }
  }

  /** `promise`, or a rejection after `commandTimeoutMs` (the call itself carries on in node-redis). */
  async #bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    promise.catch(() => undefined); // settles later, unobserved, after a timeout
    try {
      return await Promise.race([promise, new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no reply within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      })]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #start(): Promise<void> {
    try {
      if (this.#owned && !this.#subscriber.isOpen) await this.#bounded(this.#subscriber.connect(), 'connect');
      if (this.#closed) return;
      await this.#bounded(this.#subscriber.subscribe(this.channel, this.#onMessage), 'subscribe');
    } catch (error) {
      this.#calls.markDown(`subscriber: ${reasonOf(error)}`); // node-redis subscribes again once it reconnects
    }
    this.#started = true;
    await this.#catchUp();
  }

  /** Delivers the pauses still running in Redis (to one listener, or to all after a reconnect). */
  async #catchUp(only?: Listener): Promise<void> {
    let reply: unknown;
    try {
      reply = await this.#calls.send(this.pausesKey, ['HGETALL', this.pausesKey]);
    } catch {
      return;
    }
    const now = Date.now();
    for (const [host, until] of entries(reply)) {
      const pause = { host, until: Number(until) };
      if (!isPause(pause) || pause.until <= now) continue;
      if (only) call(only, pause);
      else this.#deliver(pause);
    }
  }

  #heard(message: string): void {
    if (this.#closed || typeof message !== 'string' || message.length > MAX_MESSAGE) return;
    let data: unknown;
    try {
      data = JSON.parse(message);
    } catch {
      return;
    }
    const { host, until, from } = data as Record<string, unknown>;
    if (from === this.#id) return; // already delivered here by publish()
    const pause = { host, until };
    if (isPause(pause)) this.#deliver({ host: pause.host, until: pause.until });
  }

  #deliver(pause: ThrottlePause): void {
    for (const listener of [...this.#listeners]) call(listener, pause);
  }
}

function call(listener: Listener, pause: ThrottlePause): void {
  try {
    listener({ ...pause }); // each subscriber its own copy
  } catch {
    // One subscriber's failure must not keep the pause from the others.
  }
}

function isPause(value: { host?: unknown; until?: unknown }): value is ThrottlePause {
  return typeof value.host === 'string' && value.host !== '' && value.host.length <= 300
    && typeof value.until === 'number' && Number.isFinite(value.until);
}

/** HGETALL's reply as pairs: RESP2 gives a flat array, RESP3 a map (an object or a Map). */
function entries(reply: unknown): [string, unknown][] {
  if (reply instanceof Map) return [...reply.entries()].map(([k, v]) => [String(k), v]);
  if (Array.isArray(reply)) {
    const out: [string, unknown][] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) out.push([String(reply[i]), reply[i + 1]]);
    return out;
  }
  if (typeof reply === 'object' && reply !== null) return Object.entries(reply);
  return [];
}
