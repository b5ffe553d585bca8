import { afterEach, describe, expect, it, vi } from 'vitest';
import { BroadcastChannelThrottle, Connection, type ThrottlePause } from '@graphwire/core';
import { Scheduler } from '../src/scheduler.js';
import { listenForPauses, publishPause, readPause } from '../src/throttle-channel.js';

const signal = () => new AbortController().signal;
const opened: BroadcastChannelThrottle[] = [];
const channel = (name: string) => {
  const c = new BroadcastChannelThrottle(name);
  opened.push(c);
  return c;
};
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});

describe('heard pauses in the Scheduler', () => {
  it('applies a heard pause exactly as a local 429: same pause, same narrowed window', () => {
    let now = 1_000;
    const local = new Scheduler({ requestsDelay: 0, maxConcurrency: Infinity, now: () => now });
    const heard = new Scheduler({ requestsDelay: 0, maxConcurrency: Infinity, now: () => now, allowedHosts: new Set(['h']) });
    for (const s of [local, heard]) for (let i = 0; i < 6; i++) expect(s.admit('h', signal())).toBeUndefined();
    local.release('h'); // the throttled attempt released its slot, then the 429 is applied
    local.throttled('h', 1_000);
    heard.release('h'); // one of ours finished normally; the 429 was a peer's
    heard.heard('h', now + 1_000);
    expect(heard.pausedFor('h')).toBe(local.pausedFor('h'));
    expect(heard.hostWindow('h')).toEqual(local.hostWindow('h'));
    expect(heard.hostWindow('h').limit).toBe(3);
    now += 1_001;
    expect(heard.pausedFor('h')).toBe(0);
  });

  it('ignores pauses already over, not longer than the current one, or for hosts it does not know', () => {
    const now = 5_000;
    const s = new Scheduler({ requestsDelay: 0, maxConcurrency: Infinity, now: () => now, allowedHosts: new Set(['graph']) });
    s.heard('graph', now - 1);
    s.heard('graph', now);
    expect(s.pausedFor('graph')).toBe(0);
    s.heard('graph', now + 2_000);
    s.heard('graph', now + 500); // shorter: ignored
    expect(s.pausedFor('graph')).toBe(2_000);
    s.heard('unknown.example', now + 2_000); // a host it never talked to and may not send the token to
    expect(s.pausedFor('unknown.example')).toBe(0);
    expect(s.admit('unknown.example', signal())).toBeUndefined();
  });

  it('publishes once per change of the pause, never a heard one', () => {
    let now = 0;
    const published: Array<[string, number]> = [];
    const s = new Scheduler({
      requestsDelay: 0, maxConcurrency: Infinity, now: () => now, allowedHosts: new Set(['h']),
      onPause: (host, until) => published.push([host, until]),
    });
    s.throttled('h', 1_000);
    now += 3;
    s.throttled('h', 1_000); // the same burst, 3 ms later
    s.throttled('h', 200); // shorter
    expect(published).toEqual([['h', 1_000]]);
    s.heard('h', 5_000);
    expect(published).toHaveLength(1);
    s.throttled('h', 4_000); // ends within the heard pause: the peers know
    expect(published).toHaveLength(1);
    s.throttled('h', 10_000);
    expect(published).toEqual([['h', 1_000], ['h', 10_003]]);
  });
});

describe('ThrottleChannel helpers', () => {
  it('accepts { host, until } only, lower-casing the host', () => {
    expect(readPause({ host: 'Graph.Microsoft.COM', until: 5 })).toEqual({ host: 'graph.microsoft.com', until: 5 });
    expect(readPause({ host: '127.0.0.1:8080', until: 5, extra: 1 })).toEqual({ host: '127.0.0.1:8080', until: 5 });
    for (const bad of [null, undefined, 'graph.microsoft.com', 42, [], {}, { host: 'h' }, { until: 5 }, { host: 1, until: 5 },
      { host: '', until: 5 }, { host: 'a b', until: 5 }, { host: 'a/b', until: 5 }, { host: 'u@h', until: 5 }, { host: 'x'.repeat(300), until: 5 },
      { host: 'h', until: '5' }, { host: 'h', until: Number.NaN }, { host: 'h', until: Infinity }]) {
      expect(readPause(bad)).toBeUndefined();
    }
  });

  it('caps a heard pause at maxRetryAfter from now and drops malformed messages', () => {
    const listeners: Array<(m: unknown) => void> = [];
    const fake = { publish: vi.fn(), subscribe: (l: (p: ThrottlePause) => void) => (listeners.push(l as never), () => undefined) };
    const applied: Array<[string, number]> = [];
    listenForPauses(fake, 60_000, (host, until) => applied.push([host, until]), () => 1_000);
    listeners[0]!({ host: 'h', until: 1_000 + 86_400_000 });
    listeners[0]!({ host: 'h', until: 2_000 });
    listeners[0]!({ nonsense: true });
    listeners[0]!(null);
    expect(applied).toEqual([['h', 61_000], ['h', 2_000]]);
  });

  it('applies a host published with a default port (443, 80) to the host without it', () => {
    const listeners: Array<(m: unknown) => void> = [];
    const fake = { publish: vi.fn(), subscribe: (l: (p: ThrottlePause) => void) => (listeners.push(l as never), () => undefined) };
    const now = 1_000;
    const allowedHosts = new Set(['graph.microsoft.com', 'plain.example:443', 'legacy.example']);
    const s = new Scheduler({ requestsDelay: 0, maxConcurrency: Infinity, now: () => now, allowedHosts });
    listenForPauses(fake, 60_000, (host, until) => s.heard(host, until), () => now);
    listeners[0]!({ host: 'GRAPH.microsoft.com:443', until: now + 5_000 });
    listeners[0]!({ host: 'legacy.example:80', until: now + 6_000 });
    listeners[0]!({ host: 'plain.example:443', until: now + 7_000 }); // an http host on 443: known with its port
    listeners[0]!({ host: 'other.example:8443', until: now + 8_000 });
    expect(s.pausedFor('graph.microsoft.com')).toBe(5_000);
    expect(s.pausedFor('legacy.example')).toBe(6_000);
    expect(s.pausedFor('plain.example:443')).toBe(7_000);
    expect(s.pausedFor('plain.example')).toBe(0); // not a host of the connection: nothing created
    expect(s.pausedFor('other.example')).toBe(0);
  });

  it('keeps a failing channel from failing the request', () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    expect(() => publishPause({ publish: () => { throw new Error('closed'); }, subscribe: () => () => undefined }, { host: 'h', until: 1 })).not.toThrow();
    publishPause({ publish: () => Promise.reject(new Error('down')) as never, subscribe: () => () => undefined }, { host: 'h', until: 1 });
    return new Promise<void>((r) => setTimeout(r, 20)).then(() => {
      process.off('unhandledRejection', unhandled);
      expect(unhandled).not.toHaveBeenCalled();
    });
  });
});

describe('BroadcastChannelThrottle', () => {
  it('delivers to other instances of the same name and to its own other subscribers, not other names', async () => {
    const a = channel('bct-1');
    const b = channel('bct-1');
    const other = channel('bct-2');
    const heardA: ThrottlePause[] = [];
    const heardB: ThrottlePause[] = [];
    const heardOther: ThrottlePause[] = [];
    a.subscribe((p) => heardA.push(p));
    b.subscribe((p) => heardB.push(p));
    other.subscribe((p) => heardOther.push(p));
    a.publish({ host: 'graph.microsoft.com', until: 123 });
    expect(heardA).toEqual([{ host: 'graph.microsoft.com', until: 123 }]); // local delivery, synchronous
    await vi.waitFor(() => expect(heardB).toEqual([{ host: 'graph.microsoft.com', until: 123 }]));
    await new Promise((r) => setTimeout(r, 30));
    expect(heardOther).toEqual([]);
    expect(heardB).toHaveLength(1);
  });

  it('drops malformed messages from other contexts', async () => {
    const a = channel('bct-3');
    const heard: unknown[] = [];
    a.subscribe((p) => heard.push(p));
    const raw = new BroadcastChannel('bct-3');
    raw.postMessage('pause everything');
    raw.postMessage({ host: 'h', until: 'tomorrow' });
    raw.postMessage({ host: 'H', until: 7 });
    await vi.waitFor(() => expect(heard).toEqual([{ host: 'h', until: 7 }]));
    raw.close();
  });

  it('unsubscribes, closes idempotently, and is a no-op once closed', () => {
    const a = channel('bct-4');
    const heard: unknown[] = [];
    const off = a.subscribe((p) => heard.push(p));
    off();
    a.publish({ host: 'h', until: 1 });
    expect(heard).toEqual([]);
    a.close();
    a.close();
    expect(() => a.publish({ host: 'h', until: 1 })).not.toThrow();
    expect(a.subscribe(() => undefined)).toBeTypeOf('function');
  });

  it('validates its name', () => {
    expect(() => new BroadcastChannelThrottle('')).toThrow(TypeError);
    expect(() => new BroadcastChannelThrottle(42 as never)).toThrow(/non-empty string/);
  });
});

describe('the throttleChannel option', () => {
  it('must have publish and subscribe methods', () => {
    expect(() => new Connection({ throttleChannel: {} as never })).toThrow(/option 'throttleChannel' must be a ThrottleChannel/);
    expect(() => new Connection({ throttleChannel: { publish: () => undefined } as never })).toThrow(TypeError);
    expect(() => new Connection({ throttleChanel: channel('x') } as never)).toThrow(/did you mean 'throttleChannel'/);
  });
});
