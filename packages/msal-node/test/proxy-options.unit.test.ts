import { inspect } from 'node:util';
import { expect, it } from 'vitest';
import { MemoryTokenStore } from '@graphwire/core';
import { createProxyDispatcher, MsalNodeSession } from '@graphwire/msal-node';

it('rejects a malformed proxy URL without carrying its password anywhere in the error', () => {
  const proxy = 'http://user:S3CRET-PASS@[not-a-host';
  const attempts: [string, () => unknown][] = [
    ['createProxyDispatcher', () => createProxyDispatcher({ proxy })],
    ['MsalNodeSession', () => new MsalNodeSession({ clientId: 'app', proxy, tokenStore: new MemoryTokenStore() })],
  ];
  for (const [owner, attempt] of attempts) {
    let error: unknown;
    try {
      attempt();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(`[@graphwire/msal-node] ${owner}: option 'proxy' must be a proxy URL`);
    expect(inspect(error, { depth: 8, showHidden: true })).not.toContain('S3CRET-PASS');
  }
});
