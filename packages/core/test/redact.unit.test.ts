import { expect, it } from 'vitest';
import { redactUrl } from '../src/redact.js';

it('redacts credentials carried in query strings and keeps the rest', () => {
  expect(redactUrl('https://x.sharepoint.com/_layouts/15/download.aspx?UniqueId=1&tempauth=eyJ0eXAi.abc.def&ApiVersion=2.0')).toBe(
    'https://x.sharepoint.com/_layouts/15/download.aspx?UniqueId=1&tempauth=[redacted]&ApiVersion=2.0',
  );
  expect(redactUrl('https://a.blob.core.windows.net/c/f?sv=2020&sig=SECRET%3D')).toBe('https://a.blob.core.windows.net/c/f?sv=2020&sig=[redacted]');
  expect(redactUrl('https://graph.microsoft.com/v1.0/users?$top=5&$skiptoken=abc')).toBe('https://graph.microsoft.com/v1.0/users?$top=5&$skiptoken=abc');
  expect(redactUrl('https://graph.microsoft.com/v1.0/me')).toBe('https://graph.microsoft.com/v1.0/me');
});
