import { describe, expect, it } from 'vitest';
import { Connection, StaticTokenSession, VERSION, authorityFor, cloudEndpoint, type RequestOptions } from '@graphwire/core';
import { resolveOptions } from '../src/options.js';
import pkg from '../package.json' with { type: 'json' };

describe('Connection options', () => {
  it('defaults to the global cloud, v1.0, its .default scope and its host only', () => {
    const o = resolveOptions({});
    expect(o.baseUrl.href).toBe('https://graph.microsoft.com/v1.0');
    expect(o.scopes).toEqual(['https://graph.microsoft.com/.default']);
    expect([...o.allowedHosts]).toEqual(['graph.microsoft.com']);
    expect(o.timeout).toBe(30_000);
    expect(o.requestsDelay).toBe(0);
    expect(o.maxConcurrency).toBe(Number.POSITIVE_INFINITY);
    expect(o.raiseHttpErrors).toBe(true);
    expect(o.refreshMargin).toBe(300_000);
    expect(o.retry.limit).toBe(3);
  });

  it.each([
    ['global', 'https://graph.microsoft.com/v1.0', 'https://graph.microsoft.com/.default', 'graph.microsoft.com'],
    ['usgov', 'https://graph.microsoft.us/v1.0', 'https://graph.microsoft.us/.default', 'graph.microsoft.us'],
    ['dod', 'https://dod-graph.microsoft.us/v1.0', 'https://dod-graph.microsoft.us/.default', 'dod-graph.microsoft.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn/v1.0', 'https://microsoftgraph.chinacloudapi.cn/.default', 'microsoftgraph.chinacloudapi.cn'],
  ] as const)('cloud %s sets base URL, default scope and allowed host', (cloud, base, scope, host) => {
    const o = resolveOptions({ cloud });
    expect(o.baseUrl.href).toBe(base);
    expect(o.scopes).toEqual([scope]);
    expect([...o.allowedHosts]).toEqual([host]);
    expect(new Connection({ cloud, apiVersion: 'beta' }).baseUrl).toBe(base.replace('v1.0', 'beta'));
  });

  it('names the sign-in host of each cloud for MSAL authorities', () => {
    expect(authorityFor('global', 'common')).toBe('https://login.microsoftonline.com/common');
    expect(authorityFor('usgov', 't')).toBe('https://login.microsoftonline.us/t');
    expect(cloudEndpoint('dod').loginHost).toBe('login.microsoftonline.us');
    expect(cloudEndpoint('china').loginHost).toBe('login.chinacloudapi.cn');
  });

  it('lets baseUrl override cloud and apiVersion, allowing its host', () => {
    const o = resolveOptions({ baseUrl: 'http://127.0.0.1:8080/v1.0/', cloud: 'usgov' });
    expect([...o.allowedHosts]).toEqual(['127.0.0.1:8080']);
    expect(new Connection({ baseUrl: 'http://127.0.0.1:8080/v1.0/' }).baseUrl).toBe('http://127.0.0.1:8080/v1.0');
  });

  it.each([
    [{ cloud: 'mars' }, "option 'cloud' must be one of 'global', 'usgov', 'dod', 'china' (got a string of 4 characters)"],
    [{ apiVersion: 'v2' }, "option 'apiVersion' must be one of 'v1.0', 'beta'"],
    [{ baseUrl: 'graph.microsoft.com' }, "option 'baseUrl' must be an absolute URL"],
    [{ baseUrl: 42 }, "option 'baseUrl' must be an absolute URL such as https://graph.microsoft.com/v1.0 (got 42)"],
    [{ baseUrl: 'http://graph.example.com/v1.0' }, "option 'baseUrl' must use https"],
    [{ baseUrl: 'https://graph.microsoft.com/v1.0?x=1' }, "option 'baseUrl' must not have a query string"],
    [{ scopes: [] }, "option 'scopes' must be a non-empty array"],
    [{ scopes: 'User.Read' }, "option 'scopes' must be a non-empty array"],
    [{ allowedHosts: ['https://graph.microsoft.com'] }, "option 'allowedHosts' must be an array of host names"],
    [{ retries: -1 }, "option 'retries' must be a retry limit (a whole number from 0 to 100) or a RetryOptions object (got -1)"],
    [{ retries: { limit: -1 } }, "option 'retries.limit' must be a whole number from 0 to 100 (got -1)"],
    [{ requestsDelay: -5 }, "option 'requestsDelay' must be a number of milliseconds from 0 to 2147483647 (got -5)"],
    [{ maxConcurrency: 0 }, "option 'maxConcurrency' must be a whole number of at least 1 (got 0)"],
    [{ timeout: 0 }, "option 'timeout' must be a positive number of milliseconds (at most 2147483647), or false (got 0)"],
    [{ timeout: Number.NaN }, "option 'timeout' must be a positive number"],
    [{ raiseHttpErrors: 'no' }, "option 'raiseHttpErrors' must be true or false"],
    [{ refreshMargin: -1 }, "option 'refreshMargin' must be a number of milliseconds from 0"],
    [{ fetch: 'fetch' }, "option 'fetch' must be a function"],
    [{ logger: 'console' }, "option 'logger' must be an object with debug, info, warn and/or error methods"],
    [{ session: { token: 'x' } }, "option 'session' must be an AuthSession (an object with a getAccessToken(request) method"],
    [{ retry: 3 }, "unknown option 'retry' (did you mean 'retries'?); known options: session, scopes, cloud"],
  ])('rejects %j with a prefixed TypeError naming the option', (options, message) => {
    expect(() => new Connection(options as never)).toThrow(TypeError);
    expect(() => new Connection(options as never)).toThrow(`[@graphwire/core] Connection: ${message}`);
  });

  it.each([
    [{ retries: { limt: 0, backoffBase: 1 } }, "unknown option 'retries.limt' (did you mean 'retries.limit'?); known options of 'retries': limit, statusCodes, afterStatusCodes, maxRetryAfter, backoffBase, backoffLimit, retryOnTimeout"],
    [{ retries: [0] }, "option 'retries' must be a retry limit (a whole number from 0 to 100) or a RetryOptions object (got an array of 1)"],
    [{ hooks: { beforeReqest: [() => undefined] } }, "unknown option 'hooks.beforeReqest' (did you mean 'hooks.beforeRequest'?); known options of 'hooks': init, beforeRequest, beforeRetry, afterResponse, beforeError"],
    [{ hooks: { beforeError: () => undefined } }, "option 'hooks.beforeError' must be an array of functions (got a function)"],
    [{ hooks: { afterResponse: [() => undefined, 'x'] } }, "option 'hooks.afterResponse' must be an array of functions (got an array of 2)"],
    [{ hooks: [() => undefined] }, "option 'hooks' must be an object of ky hook arrays"],
    [{ logger: { debug: 5 } }, "option 'logger' must be an object with debug, info, warn and/or error methods, e.g. console (got an object)"],
    [{ logger: { log: () => undefined } }, "option 'logger' must be an object with debug, info, warn and/or error methods"],
    [{ sesion: new StaticTokenSession('t') }, "unknown option 'sesion' (did you mean 'session'?)"],
    [{ requestDelay: 5 }, "unknown option 'requestDelay' (did you mean 'requestsDelay'?)"],
  ])('checks the keys inside retries, hooks and logger: %j', (options, message) => {
    expect(() => new Connection(options as never)).toThrow(TypeError);
    expect(() => new Connection(options as never)).toThrow(`[@graphwire/core] Connection: ${message}`);
  });

  it('accepts every ky hook name, console as a logger, and a partial logger', () => {
    const hooks = { init: [], beforeRequest: [() => undefined], beforeRetry: [], afterResponse: [], beforeError: [(s: { error: Error }) => s.error] };
    expect(() => new Connection({ hooks, logger: console })).not.toThrow();
    expect(() => new Connection({ logger: { warn: () => undefined, error: () => undefined } })).not.toThrow();
    expect(() => new Connection({ retries: { limit: 0, backoffBase: 1 }, maxConcurrency: Number.POSITIVE_INFINITY })).not.toThrow();
  });

  it('refuses options that are not a plain object', () => {
    expect(() => new Connection([] as never)).toThrow('[@graphwire/core] Connection: options must be an object (got an array of 0)');
    expect(() => new Connection(new Map() as never)).toThrow('[@graphwire/core] Connection: options must be a plain object such as { name: value } (got an object (Map))');
    expect(() => new Connection(null as never)).toThrow('[@graphwire/core] Connection: options must be an object (got null)');
  });

  it('checks the keys of an AccessToken given to StaticTokenSession', () => {
    expect(() => new StaticTokenSession({ token: 't', expiresOm: 5 } as never)).toThrow(
      "[@graphwire/core] StaticTokenSession: unknown option 'expiresOm' (did you mean 'expiresOn'?); known options: token, expiresOn",
    );
    expect(() => new StaticTokenSession({ token: 't' } as never)).toThrow("[@graphwire/core] StaticTokenSession: option 'expiresOn' is required");
    expect(() => new StaticTokenSession({ token: 't', expiresOn: '2026' } as never)).toThrow("option 'expiresOn' must be a time in epoch milliseconds");
    expect(() => new StaticTokenSession({ token: 't', expiresOn: Date.now() + 60_000 })).not.toThrow();
  });

  it("refuses an unknown per-request option (a typo would silently drop the caller's deadline)", () => {
    const con = new Connection({ session: new StaticTokenSession('t') });
    const controller = new AbortController();
    expect(() => con.get('me', { signl: controller.signal } as never)).toThrow(TypeError);
    expect(() => con.get('me', { signl: controller.signal } as never)).toThrow(
      /^\[@graphwire\/core\] request: unknown option 'signl' \(did you mean 'signal'\?\); known options: headers, body, retry, timeout, raiseHttpErrors, json, /,
    );
    expect(() => con.naive.post('https://example.com/x', { jsn: {} } as never)).toThrow("request: unknown option 'jsn' (did you mean 'json'?)");
    expect(() => con.get('me', { throwHttpErrors: false } as never)).toThrow("request: unknown option 'throwHttpErrors'"); // graphwire's is raiseHttpErrors
    expect(() => con.get('me', { retry: { limt: 0 } } as never)).toThrow("[@graphwire/core] request: unknown option 'retry.limt' (did you mean 'retry.limit'?)");
    expect(() => con.get('me', { hooks: { beforeReqest: [] } } as never)).toThrow("[@graphwire/core] request: unknown option 'hooks.beforeReqest' (did you mean 'hooks.beforeRequest'?)");
  });

  it('accepts every key RequestOptions declares', async () => {
    // The record must name every key of RequestOptions (the type checker says so when ky adds one).
    const every: Record<keyof RequestOptions, unknown> = {
      headers: undefined, body: undefined, retry: undefined, timeout: undefined, raiseHttpErrors: undefined,
      json: undefined, parseJson: undefined, stringifyJson: undefined, searchParams: undefined, totalTimeout: undefined,
      hooks: undefined, onDownloadProgress: undefined, onUploadProgress: undefined, context: undefined,
      cache: undefined, credentials: undefined, integrity: undefined, keepalive: undefined, mode: undefined, priority: undefined,
      redirect: undefined, referrer: undefined, referrerPolicy: undefined, signal: undefined, window: undefined,
    };
    // And Node's RequestInit extras (not in the DOM's type), which ky forwards to fetch.
    const nodeOnly = ['dispatcher', 'duplex'];
    const con = new Connection({ fetch: async () => new Response('{}', { headers: { 'content-type': 'application/json' } }) });
    for (const key of [...Object.keys(every), ...nodeOnly]) {
      await expect(con.naive.get('https://graph.microsoft.com/v1.0/me', { [key]: undefined }).json(), key).resolves.toEqual({});
    }
  });

  it('rejects a bad per-request timeout and method', () => {
    const con = new Connection({ session: new StaticTokenSession('t') });
    expect(() => con.get('me', { timeout: -1 })).toThrow("[@graphwire/core] request: option 'timeout' must be a positive number of milliseconds (at most 2147483647), or false (got -1)");
    expect(() => con.request('GE T', 'me')).toThrow('[@graphwire/core] invalid HTTP method');
    expect(() => con.get('ftp://example.com/x')).toThrow('[@graphwire/core] unsupported URL scheme ftp:');
  });

  it('refuses to send a token to an allowed host over plain http', () => {
    const con = new Connection({ session: new StaticTokenSession('t'), allowedHosts: ['graph.microsoft.com', 'graph.example.com'] });
    expect(() => con.get('http://graph.example.com/v1.0/me')).toThrow('[@graphwire/core] refusing to send the bearer token to graph.example.com over plain http');
  });

  it('refuses requests after close()', async () => {
    const con = new Connection();
    await con.close();
    expect(() => con.get('me')).toThrow('[@graphwire/core] this Connection is closed');
  });

  it('keeps VERSION in step with package.json', () => {
    expect(VERSION).toBe(pkg.version);
  });
});
