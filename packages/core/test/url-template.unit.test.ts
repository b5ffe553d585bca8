import { expect, it } from 'vitest';
import { templateSegment, urlTemplate } from '../src/url-template.js';

const template = (url: string) => urlTemplate(url).template;

it('keeps resource names and versions, replaces ids of every kind', () => {
  expect(template('https://graph.microsoft.com/v1.0/me/messages')).toBe('/v1.0/me/messages');
  expect(template('https://graph.microsoft.com/beta/users/48d31887-5fad-4d73-a9f5-3c356e68a038/memberOf')).toBe('/beta/users/{id}/memberOf');
  expect(template('https://graph.microsoft.com/v1.0/users/AdeleV@contoso.onmicrosoft.com')).toBe('/v1.0/users/{id}');
  expect(template('https://graph.microsoft.com/v1.0/users/AdeleV%40contoso.onmicrosoft.com')).toBe('/v1.0/users/{id}');
  expect(template('https://graph.microsoft.com/v1.0/me/messages/AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAAAYbvZAAAA=/attachments'))
    .toBe('/v1.0/me/messages/{id}/attachments');
  expect(template('https://graph.microsoft.com/v1.0/sites/contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE/lists')).toBe('/v1.0/sites/{id}/lists');
  expect(template('https://graph.microsoft.com/v1.0/groups/12345/members/$ref')).toBe('/v1.0/groups/{id}/members/$ref');
  expect(template('https://graph.microsoft.com/v1.0/users/microsoft.graph.user')).toBe('/v1.0/users/microsoft.graph.user');
  expect(template('https://graph.microsoft.com/v1.0/oauth2PermissionGrants')).toBe('/v1.0/oauth2PermissionGrants');
  expect(template('https://graph.microsoft.com/v1.0/deviceManagement/deviceCompliancePolicies')).toBe('/v1.0/deviceManagement/deviceCompliancePolicies');
  expect(template('https://graph.microsoft.com/v1.0/me/calendarView/delta')).toBe('/v1.0/me/calendarView/delta');
});

it('replaces drive paths and function arguments, and drops query and fragment', () => {
  expect(template('https://graph.microsoft.com/v1.0/me/drive/root:/Finance/Q3 plan.xlsx:/content?$select=id#x')).toBe('/v1.0/me/drive/root:{path}:/content');
  expect(template('https://graph.microsoft.com/v1.0/me/drive/root:/Finance/Q3.xlsx')).toBe('/v1.0/me/drive/root:{path}');
  expect(template("https://graph.microsoft.com/v1.0/me/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/workbook/worksheets/{00000000-0001-0000-0000-000000000000}/range(address='A1:B2')"))
    .toBe('/v1.0/me/drive/items/{id}/workbook/worksheets/{id}/range({args})');
  expect(template('https://graph.microsoft.com/v1.0/me/drive/root/delta(token=\'abc\')')).toBe('/v1.0/me/drive/root/delta({args})');
  expect(template('https://tenant.sharepoint.com/_api/download?tempauth=secret')).toBe('/_api/download');
  // A site addressed by path, then a drive path: every `:/…:` is templated, not just the first.
  const site = 'https://graph.microsoft.com/v1.0/sites/contoso.sharepoint.com:/sites/hr:/drive/root:';
  expect(template(`${site}/Confidential/merger.docx:/content`)).toBe('/v1.0/sites/contoso.sharepoint.com:{path}:/drive/root:{path}:/content');
  expect(template(`${site}/Salaries/layoffs-plan.docx`)).toBe('/v1.0/sites/contoso.sharepoint.com:{path}:/drive/root:{path}');
});

it('gives host and port, and survives garbage', () => {
  expect(urlTemplate('http://127.0.0.1:8080/v1.0/me')).toEqual({ template: '/v1.0/me', address: '127.0.0.1', port: 8080 });
  expect(urlTemplate('https://graph.microsoft.com/v1.0/me')).toMatchObject({ address: 'graph.microsoft.com', port: 443 });
  expect(urlTemplate('not a url').template).toBe('/{unknown}');
  expect(templateSegment('user-12')).toBe('{id}');
  expect(templateSegment('x'.repeat(80))).toBe('{id}');
});
