import { describe, expect, it } from 'vitest';
import { Connection, StaticTokenSession, VERSION, authorityFor, cloudEndpoint } from '@graphwire/core';
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
    [{ cloud: 'mars' }, "cloud must be one of 'global', 'usgov', 'dod', 'china'"],
    [{ apiVersion: 'v2' }, "apiVersion must be 'v1.0' or 'beta'"],
    [{ baseUrl: 'graph.microsoft.com' }, 'baseUrl must be an absolute URL'],
    [{ baseUrl: 'http://graph.example.com/v1.0' }, 'baseUrl must use https'],
    [{ baseUrl: 'https://graph.microsoft.com/v1.0?x=1' }, 'baseUrl must not have a query string'],
    [{ scopes: [] }, 'scopes must be a non-empty array'],
    [{ scopes: 'User.Read' }, 'scopes must be a non-empty array'],
    [{ allowedHosts: ['https://graph.microsoft.com'] }, 'allowedHosts must be an array of host names'],
    [{ retries: -1 }, 'retries.limit must be a whole number'],
    [{ requestsDelay: -5 }, 'requestsDelay must be a non-negative number'],
    [{ maxConcurrency: 0 }, 'maxConcurrency must be a whole number of at least 1'],
    [{ timeout: 0 }, 'timeout must be a positive number of milliseconds, or false'],
    [{ timeout: Number.NaN }, 'timeout must be a positive number'],
    [{ raiseHttpErrors: 'no' }, 'raiseHttpErrors must be a boolean'],
    [{ refreshMargin: -1 }, 'refreshMargin must be a non-negative number'],
    [{ fetch: 'fetch' }, 'fetch must be a function'],
    [{ logger: 'console' }, 'logger must be an object'],
    [{ session: { token: 'x' } }, 'session must implement getAccessToken'],
    [{ retry: 3 }, "unknown option 'retry'"],
  ])('rejects %j with a prefixed TypeError naming the option', (options, message) => {
    expect(() => new Connection(options as never)).toThrow(TypeError);
    expect(() => new Connection(options as never)).toThrow(`[@graphwire/core] ${message}`);
  });

  it('rejects a bad per-request timeout and method', () => {
    const con = new Connection({ session: new StaticTokenSession('t') });
    expect(() => con.get('me', { timeout: -1 })).toThrow('[@graphwire/core] timeout must be a positive number');
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
