// oidc-provider ships no type declarations and @types/oidc-provider is not a dependency here:
// declare only the surface this folder uses, so the rest stays checked under `strict`.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContext {
    method: string;
    path: string;
    status: number;
    body: unknown;
    host: string;
    req: IncomingMessage & { body?: unknown };
    is(type: string): string | false | null;
    oidc: {
      params?: Record<string, string | undefined>;
      client?: { clientId: string; grantTypeAllowed(type: string): boolean; redirectUris: string[] };
    };
  }

  export interface ProviderEntity {
    save(): Promise<string>;
  }

  export interface ProviderGrant extends ProviderEntity {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
  }

  /** A pending login or consent prompt (`provider.interactionDetails`). */
  export interface Interaction {
    uid: string;
    prompt: {
      name: string;
      details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    };
    params: Record<string, unknown>;
    grantId?: string;
    session?: { accountId: string };
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    issuer: string;
    proxy: boolean;
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    registerGrantType(name: string, handler: (ctx: KoaContext) => Promise<void>, params?: string[]): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options: { mergeWithLastSubmission: boolean }): Promise<void>;
    Grant: (new (init: { accountId: string; clientId: string }) => ProviderGrant) & { find(id: string): Promise<ProviderGrant | undefined> };
  }

  export interface ProviderErrors {
    InvalidGrant: new (description: string) => Error;
    InvalidRequest: new (description: string) => Error;
    InvalidClientAuth: new (description: string) => Error;
  }

  export const errors: ProviderErrors;
}

declare module 'oidc-provider/lib/helpers/grant_common.js' {
  export function issueTokens(
    provider: unknown, helpers: unknown, ctx: unknown, source: unknown, grant: unknown,
    options: { gty: string; entityLabel: string; cert?: undefined; dPoP?: undefined },
  ): Promise<void>;
}

declare module 'oidc-provider/lib/helpers/grants.js' {
  const helpers: Record<string, (...args: unknown[]) => unknown>;
  export = helpers;
}
