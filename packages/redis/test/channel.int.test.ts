// RedisThrottleChannel against a real redis-server: pauses between instances, late joiners,
// reconnects, outages, and what close() releases.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ThrottlePause } from '@graphwire/core';
import { RedisThrottleChannel } from '@graphwire/redis';
import { makeClient, startRedisServer, type Client, type RedisServer } from './redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (check: () => boolean | Promise<boolean>, ms = 3000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
};
const quiet = () => ({ info: () => undefined, warn: () => undefined });

let redis: RedisServer;
let raw: Client;
const channels: RedisThrottleChannel[] = [];
beforeAll(async () => { redis = await startRedisServer(); raw = await redis.client(); });
afterAll(async () => { await Promise.all(channels.map((c) => c.close())); await redis.close(); });
beforeEach(async () => { await raw.flushAll(); });

async function channel(extra: Partial<ConstructorParameters<typeof RedisThrottleChannel>[0]> = {}) {
  const c = new RedisThrottleChannel({ client: await redis.client(), logger: quiet(), ...extra });
  channels.push(c);
  return c;
}
function heard(c: RedisThrottleChannel) {
  const pauses: ThrottlePause[] = [];
  c.subscribe((p) => pauses.push(p));
  return pauses;
}

describe('options', () => {
  it('refuses unknown options and clients that are not connected', async () => {
    const client = await redis.client();
    expect(() => new RedisThrottleChannel({ client, name: 'x' } as never)).toThrow(/^\[@graphwire\/redis\] RedisThrottleChannel: unknown option 'name' \(did you mean 'channel'\?\)/);
    expect(() => new RedisThrottleChannel({ client: makeClient(redis.url) })).toThrow(/^\[@graphwire\/redis\] RedisThrottleChannel: the client is not connected/);
    expect(() => new RedisThrottleChannel({ client, subscriber: makeClient(redis.url) })).toThrow(/the subscriber is not connected: call `await subscriber.connect\(\)`/);
  });
});

describe('sharing pauses', () => {
  it('delivers a pause to the other instances, and to the publisher\'s own other subscribers once', async () => {
    const [a, b] = await Promise.all([channel(), channel()]);
    const [fromA, fromB] = [heard(a), heard(b)];
    await Promise.all([a.ready(), b.ready()]);
    const pause = { host: 'graph.microsoft.com', until: Date.now() + 2000 };
    a.publish(pause);
    expect(fromA).toEqual([pause]); // at once, locally
    await until(() => fromB.length === 1);
    expect(fromB).toEqual([pause]);
    await sleep(50);
    expect(fromA).toHaveLength(1); // its own message is not delivered twice
    expect(Number(await raw.hGet(a.pausesKey, 'graph.microsoft.com'))).toBe(pause.until);
    const ttl = await raw.pTTL(a.pausesKey);
    expect(ttl).toBeGreaterThan(1500);
    expect(ttl).toBeLessThanOrEqual(2000);
    // A shorter pause does not shorten the stored one.
    b.publish({ host: 'graph.microsoft.com', until: Date.now() + 500 });
    await until(() => fromA.length === 2);
    expect(Number(await raw.hGet(a.pausesKey, 'graph.microsoft.com'))).toBe(pause.until);
  });

  it('ignores malformed messages and other channels', async () => {
    const a = await channel();
    const other = await channel({ channel: 'another-app:throttle' });
    const fromA = heard(a);
    heard(other);
    await Promise.all([a.ready(), other.ready()]);
    for (const m of ['not json', '{"host":5,"until":1}', '{"host":"h","until":"soon"}', 'x'.repeat(10_000)]) await raw.publish(a.channel, m);
    other.publish({ host: 'h', until: Date.now() + 1000 });
    await sleep(100);
    expect(fromA).toEqual([]);
  });

  it('a late joiner honours a pause that is still running; an ended one is not delivered', async () => {
    const a = await channel();
    a.publish({ host: 'graph.microsoft.com', until: Date.now() + 3000 });
    a.publish({ host: 'ended.example', until: Date.now() + 50 });
    await until(async () => (await raw.hLen(a.pausesKey)) === 2);
    await sleep(100);
    const late = await channel();
    const fromLate = heard(late);
    await late.ready();
    expect(fromLate.map((p) => p.host)).toEqual(['graph.microsoft.com']);
  });

  it('an instance whose subscription reconnects catches up on pauses published meanwhile', async () => {
    const subscriber = await redis.client();
    const c = await channel({ subscriber });
    const fromC = heard(c);
    await c.ready();
    const id = await subscriber.clientId();
    // Published while it was away: only in the hash, no message reaches it.
    await raw.sendCommand(['CLIENT', 'KILL', 'ID', String(id)]);
    await raw.hSet(c.pausesKey, 'graph.microsoft.com', String(Date.now() + 3000));
    await until(() => fromC.length === 1);
    expect(fromC[0]!.host).toBe('graph.microsoft.com');
  });
});

describe('faults and close', () => {
  it('keeps pauses local while Redis is down (one warning), and shares again once it is back', { timeout: 20_000 }, async () => {
    const lines: string[] = [];
    const logger = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };
    const a = await channel({ logger, commandTimeoutMs: 300 });
    const b = await channel();
    const [fromA, fromB] = [heard(a), heard(b)];
    await Promise.all([a.ready(), b.ready()]);
    await redis.stop();
    expect(() => a.publish({ host: 'h1', until: Date.now() + 1000 })).not.toThrow();
    a.publish({ host: 'h2', until: Date.now() + 1000 });
    expect(fromA.map((p) => p.host)).toEqual(['h1', 'h2']);
    await sleep(100);
    expect(lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);
    expect(lines[0]).toMatch(/^warn \[@graphwire\/redis\] RedisThrottleChannel: Redis is unavailable .*429 pauses stay within this instance/);
    await redis.start();
    await until(() => lines.some((l) => l.startsWith('info')) || (a.publish({ host: 'probe', until: Date.now() + 10 }), false), 5000).catch(() => undefined);
    await until(async () => {
      a.publish({ host: 'h3', until: Date.now() + 1000 });
      await sleep(50);
      return fromB.some((p) => p.host === 'h3');
    }, 5000);
    expect(lines.filter((l) => l.startsWith('info'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('info'))[0]).toMatch(/Redis is available again after \d+ ms/);
  });

  it('close() closes the connection it opened, only unsubscribes one it was given, and stops delivering', async () => {
    const count = async () => (await raw.clientList()).length;
    const before = await count();
    const owned = await channel(); // opens client.duplicate()
    heard(owned);
    await owned.ready();
    expect(await count()).toBe(before + 2); // its client (a test connection) + its own subscriber
    await owned.close();
    await until(async () => (await count()) === before + 1);

    const subscriber = await redis.client();
    const given = await channel({ subscriber, channel: 'close-test:throttle' });
    const fromGiven = heard(given);
    await given.ready();
    expect(await raw.sendCommand(['PUBSUB', 'NUMSUB', given.channel])).toEqual([given.channel, 1]);
    await given.close();
    expect(subscriber.isOpen).toBe(true);
    expect(await raw.sendCommand(['PUBSUB', 'NUMSUB', given.channel])).toEqual([given.channel, 0]);
    const other = await channel({ channel: 'close-test:throttle' });
    other.publish({ host: 'h', until: Date.now() + 1000 });
    await sleep(100);
    expect(fromGiven).toEqual([]);
    given.publish({ host: 'h', until: Date.now() + 1000 }); // a closed channel ignores publish
    expect(fromGiven).toEqual([]);
  });
});
