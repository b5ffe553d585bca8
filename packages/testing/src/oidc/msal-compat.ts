import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { KoaContext } from 'oidc-provider';

/** Counts what the token endpoint was asked for, by grant_type, after the rewrites below. */
export type GrantCounter = (grantType: string, ok: boolean) => void;

export interface MsalCompat {
  /** Runs before oidc-provider sees the request: token requests get MSAL's dialect rewritten. */
  rewrite(req: IncomingMessage): Promise<IncomingMessage>;
  /** Koa middleware inside oidc-provider: counts token requests, fixes the device-code answer. */
  middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
}

/**
 * Bridges MSAL's Azure AD dialect to a standards-only provider.
 * Without it: device code fails (`unsupported_grant_type`), refresh fails (`invalid_scope`),
 * and MSAL's device-code poll becomes a busy loop (`delay(NaN)`).
 */
export function msalCompat(count: GrantCounter): MsalCompat {
  const grantTypes = new WeakMap<IncomingMessage, string>();
  return {
    rewrite: async (req) => {
      const type = req.headers['content-type'] ?? '';
      if (req.method !== 'POST' || !isTokenPath(req.url) || !type.startsWith('application/x-www-form-urlencoded')) return req;
      const params = new URLSearchParams(await readText(req));
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
      const replay = replayWithBody(req, Buffer.from(params.toString(), 'utf8'));
      grantTypes.set(replay, params.get('grant_type') ?? 'none');
      return replay;
    },
    middleware: async (ctx, next) => {
      await next();
      const grantType = grantTypes.get(ctx.req);
      if (grantType !== undefined) count(grantType, ctx.status === 200);
      if (ctx.path === '/devicecode' && ctx.status === 200 && isRecord(ctx.body) && ctx.body.interval === undefined) {
        ctx.body.interval = 1;
      }
    },
  };
}

function isTokenPath(url: string | undefined): boolean {
  return new URL(url ?? '/', 'http://localhost').pathname === '/token';
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The same request with a new body, still unread. oidc-provider parses bodies itself and, given
 * one already read (`req.body`), warns about an "upstream middleware parser"; a fresh stream
 * carrying the original method, URL, headers and socket is what it expects.
 */
function replayWithBody(original: IncomingMessage, body: Buffer): IncomingMessage {
  const headers = { ...original.headers, 'content-length': String(body.length) };
  delete headers['transfer-encoding'];
  const replay = Readable.from([body], { objectMode: false });
  return Object.assign(replay, {
    method: original.method,
    url: original.url,
    headers,
    httpVersion: original.httpVersion,
    httpVersionMajor: original.httpVersionMajor,
    httpVersionMinor: original.httpVersionMinor,
    socket: original.socket,
    connection: original.socket,
    complete: true,
    aborted: false,
  }) as unknown as IncomingMessage;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
