// A secret read as a number (YAML, env parsing) is refused without being echoed.
import { expect, it } from 'vitest';
import { FileTokenStore, MsalNodeSession } from '@graphwire/msal-node';

const message = (attempt: () => unknown): string => {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('did not throw');
};

it('does not echo a numeric clientSecret, password or encryptionKey', () => {
  const secret = message(() => new MsalNodeSession({ clientId: 'c', tenantId: 't', clientSecret: 982734612398 as never }));
  expect(secret).toBe("[@graphwire/msal-node] MsalNodeSession: option 'clientSecret' must be a non-empty string (got a number)");
  const password = message(() => new MsalNodeSession({ clientId: 'c', tenantId: 't', flow: 'password', username: 'u', password: 20240101 as never }));
  expect(password).toMatch(/option 'password' must be .*\(got a number\)$/);
  const key = message(() => new FileTokenStore({ encryptionKey: 123456789012345678901234567890n as never }));
  expect(key).toMatch(/option 'encryptionKey' must be .*\(got a bigint\)$/);
  for (const text of [secret, password, key]) expect(text).not.toMatch(/982734612398|20240101|123456789012345678901234567890/);
});
