import { inspect } from 'node:util';
import { expect, it } from 'vitest';
import { createProxyDispatcher } from '@graphwire/msal-node';

it('rejects a malformed proxy URL without carrying its password anywhere in the error', () => {
  let error: unknown;
  try {
    createProxyDispatcher({ proxy: 'http://user:S3CRET-PASS@[not-a-host' });
  } catch (e) {
    error = e;
  }
  expect((error as Error).message).toContain('[@graphwire/msal-node] option `proxy` is not a URL');
  expect(inspect(error, { depth: 8, showHidden: true })).not.toContain('S3CRET-PASS');
});
