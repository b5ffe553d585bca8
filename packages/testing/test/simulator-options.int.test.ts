import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphSimulator, type Fault, type GraphSimulator, type GraphSimulatorOptions } from '@graphwire/testing';

// Options arrive from JavaScript and from tests written in a hurry: typos must fail loudly.
const start = (options: unknown) => startGraphSimulator(options as GraphSimulatorOptions);

describe('startGraphSimulator options', () => {
  it('rejects an unknown option with a TypeError naming it and listing the known ones', async () => {
    const error = await start({ throtle: { limit: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    const { message } = error as TypeError;
    expect(message).toMatch(/^\[@graphwire\/testing\] startGraphSimulator: unknown option 'throtle' \(did you mean 'throttle'\?\)/);
    for (const known of ['port', 'host', 'users', 'me', 'validateToken', 'requireAuth', 'throttle', 'latencyMs', 'batchResponseOrder', 'keepUploadedContent', 'uploadFragmentMultiple']) {
      expect(message).toContain(known);
    }
  });

  it.each([
    [{ port: '8080' }, /option 'port' must be a port number/],
    [{ port: 70000 }, /option 'port'/],
    [{ users: -1 }, /option 'users'/],
    [{ requireAuth: 'no' }, /option 'requireAuth' must be true or false/],
    [{ validateToken: true }, /option 'validateToken' must be a function/],
    [{ latencyMs: -5 }, /option 'latencyMs'/],
    [{ batchResponseOrder: 'random' }, /option 'batchResponseOrder' must be one of ["']input["'], ["']reversed["'], ["']shuffled["']/],
    [{ keepUploadedContent: 1.5 }, /option 'keepUploadedContent'/],
    [{ uploadFragmentMultiple: 0 }, /option 'uploadFragmentMultiple'/],
    [{ throttle: 5 }, /option 'throttle' must be an object/],
    ['not options', /options must be an object/],
  ])('rejects %j', async (options, message) => {
    await expect(start(options)).rejects.toThrow(message);
    await expect(start(options)).rejects.toBeInstanceOf(TypeError);
  });

  it('validates the nested throttle options', async () => {
    await expect(start({ throttle: { limit: 2, window: 100 } })).rejects.toThrow(
      /startGraphSimulator\(\{ throttle \}\): unknown option 'window'.*known options: limit, windowMs, retryAfterSeconds, retryAfterFormat/,
    );
    await expect(start({ throttle: { limit: 'two' } })).rejects.toThrow(/option 'limit' must be/);
    await expect(start({ throttle: { limit: 1, retryAfterFormat: 'http' } })).rejects.toThrow(/'retryAfterFormat' must be one of ["']seconds["'], ["']date["']/);
    await expect(start({ throttle: { windowMs: 100 } })).rejects.toThrow(/option 'limit' is required/);
  });

  it('accepts every known option', async () => {
    const sim = await startGraphSimulator({
      port: 0,
      host: '127.0.0.1',
      users: 2,
      me: { displayName: 'Me' },
      validateToken: () => ({ valid: true }),
      requireAuth: true,
      throttle: { limit: 10, windowMs: 1000, retryAfterSeconds: 1, retryAfterFormat: 'seconds' },
      latencyMs: 0,
      batchResponseOrder: 'input',
      keepUploadedContent: 0,
      uploadFragmentMultiple: 1,
    });
    await sim.close();
  });
});

describe('script() faults', () => {
  let sim: GraphSimulator;
  beforeAll(async () => {
    sim = await startGraphSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });
  const script = (faults: unknown) => () => sim.script('GET /v1.0/me', faults as Fault[]);

  it('rejects an unknown fault key, naming the route, the fault and the key', () => {
    expect(script([{ status: 429 }, { retryafter: 1 }])).toThrow(
      /^\[@graphwire\/testing\] script\('GET \/v1.0\/me'\) faults\[1\]: unknown option 'retryafter' \(did you mean 'retryAfter'\?\); known options: status, code/,
    );
  });

  it.each([
    [[{ status: '503' }], /'status' must be an HTTP status/],
    [[{ status: 1000 }], /'status'/],
    [[{ reset: 'yes' }], /'reset' must be true or false/],
    [[{ headers: { 'x-a': 1 } }], /'headers' must be an object of header names to string values/],
    [[{ body: 42 }], /'body' must be a string or a Uint8Array/],
    [[null], /a fault must be an object/],
    [{ status: 503 }, /faults must be an array/],
  ])('rejects %j', (faults, message) => {
    expect(script(faults)).toThrow(TypeError);
    expect(script(faults)).toThrow(message);
  });

  it('accepts every fault field', () => {
    sim.script('GET /v1.0/me', [
      { status: 503, code: 'X', message: 'm', retryAfter: 1, headers: { a: 'b' }, latencyMs: 1, execute: false },
      { retryAfter: 'soon', claims: '{}', body: new Uint8Array(1), contentType: 'text/plain', reset: false, redirect: 'http://x.test', redirectStatus: 307 },
      {},
    ]);
    sim.reset();
  });
});
