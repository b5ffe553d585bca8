import type { KoaContext } from 'oidc-provider';

/** Counts what the token endpoint was asked for, by grant_type, after the rewrites below. */
export type GrantCounter = (grantType: string, ok: boolean) => void;

/**
 * Koa middleware that bridges MSAL's Azure AD dialect to a standards-only provider.
 * Without it: device code fails (`unsupported_grant_type`), refresh fails (`invalid_scope`),
 * and MSAL's device-code poll becomes a busy loop (`delay(NaN)`).
 */
export function msalCompat(count: GrantCounter) {
  return async (ctx: KoaContext, next: () => Promise<void>): Promise<void> => {
    let grantType: string | undefined;
    if (ctx.method === 'POST' && ctx.path === '/token' && ctx.is('application/x-www-form-urlencoded')) {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      // MSAL sends AAD's short name; RFC 8628 wants the URN.
      if (params.get('grant_type') === 'device_code') {
        params.set('grant_type', 'urn:ietf:params:oauth:grant-type:device_code');
      }
      // MSAL re-sends offline_access on refresh, but oidc-provider never put it in the grant
      // (MSAL does not send prompt=consent), so the refresh would fail with invalid_scope.
      const scope = params.get('scope');
      if (params.get('grant_type') === 'refresh_token' && scope !== null) {
        params.set('scope', scope.split(' ').filter((s) => s && s !== 'offline_access').join(' '));
      }
      grantType = params.get('grant_type') ?? 'none';
      // oidc-provider reads req.body when the stream has already been consumed.
      ctx.req.body = params.toString();
    }
    await next();
    if (grantType !== undefined) count(grantType, ctx.status === 200);
    if (ctx.path === '/devicecode' && ctx.status === 200 && isRecord(ctx.body) && ctx.body.interval === undefined) {
      ctx.body.interval = 1;
    }
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
