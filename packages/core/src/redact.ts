// Query parameters that carry credentials: SharePoint download URLs (tempauth), SAS signatures,
// OAuth codes. They are replaced before a URL reaches a log line or an error.
const SECRET_PARAMS = /([?&](?:tempauth|access_token|token|code|sig|signature|client_secret|key)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.includes('?') ? url.replace(SECRET_PARAMS, '$1[redacted]') : url;
}
