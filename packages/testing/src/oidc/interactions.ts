import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { consentPage, errorPage, loginPage } from './pages.js';

/** Where oidc-provider sends the browser for a login or consent prompt (its `interactions.url`). */
export const INTERACTION_PATH = '/interaction/';

/**
 * The provider's own login and consent pages, in place of oidc-provider's devInteractions (a
 * "development-only" feature it warns about). They behave like devInteractions did: any user name
 * with any password signs in as that account (the name becomes the token's `sub`), and consent
 * grants what the client asked for. Returns false for requests that are not interactions.
 */
export async function handleInteraction(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = /^\/interaction\/([^/]+)(\/abort)?$/.exec(url.pathname);
  if (!match) return false;
  res.setHeader('cache-control', 'no-store');
  try {
    const interaction = await provider.interactionDetails(req, res);
    if (interaction.uid !== match[1]) throw new Error('interaction does not match the session cookie');
    if (match[2]) {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
    } else if (req.method === 'GET') {
      render(interaction, url.pathname, res);
    } else if (req.method === 'POST') {
      await submit(provider, interaction, new URLSearchParams(await readBody(req)), req, res);
    } else {
      send(res, 405, errorPage({ error: 'method_not_allowed' }));
    }
  } catch (error) {
    send(res, 400, errorPage({ error: 'invalid_request', error_description: error instanceof Error ? error.message : String(error) }));
  }
  return true;
}

function render(interaction: Interaction, action: string, res: ServerResponse): void {
  const { prompt, params } = interaction;
  if (prompt.name === 'login') {
    send(res, 200, loginPage(action, typeof params.login_hint === 'string' ? params.login_hint : undefined));
  } else if (prompt.name === 'consent') {
    const resourceScopes = Object.values(prompt.details.missingResourceScopes ?? {}).flat();
    const oidcScopes = (prompt.details.missingOIDCScope ?? []).filter((s) => s !== 'openid' && s !== 'offline_access');
    send(res, 200, consentPage(action, String(params.client_id), [...oidcScopes, ...resourceScopes]));
  } else {
    send(res, 501, errorPage({ error: 'not_implemented', error_description: `prompt ${prompt.name}` }));
  }
}

async function submit(provider: Provider, interaction: Interaction, form: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { prompt, params, grantId, session } = interaction;
  if (form.get('prompt') === 'login' && prompt.name === 'login') {
    const accountId = form.get('login') ?? '';
    if (accountId === '') throw new Error('a user name is required');
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
  } else if (form.get('prompt') === 'consent' && prompt.name === 'consent') {
    // Grant exactly what the prompt says is missing, as oidc-provider's devInteractions did.
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session?.accountId ?? '', clientId: String(params.client_id) });
    if (!grant) throw new Error('grant not found');
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  } else {
    throw new Error(`unexpected submission for the ${prompt.name} prompt`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(html);
}
