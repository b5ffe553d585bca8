import { ConfidentialClientApplication, type AuthenticationResult } from '@azure/msal-node';
import type { TokenRequest } from '@graphwire/core';
import { setupError } from '../errors.js';
import type { MsalApp } from '../msal-app.js';
import { isDefaultScope } from '../scopes.js';

/** `credentials`: the app acts as itself (client credentials grant, application permissions). */
export async function credentialsFlow(app: MsalApp, scopes: string[], request: TokenRequest): Promise<AuthenticationResult | null> {
  const cca = confidential(app, 'credentials');
  const wrong = scopes.filter((s) => !isDefaultScope(s));
  if (wrong.length > 0) {
    throw setupError(`flow 'credentials' takes only '<resource>/.default' scopes, got ${wrong.join(' ')}: use e.g. https://graph.microsoft.com/.default (permissions come from the app registration)`);
  }
  return cca.acquireTokenByClientCredential({
    scopes, skipCache: request.forceRefresh ?? false, ...(request.claims ? { claims: request.claims } : {}),
  });
}

/** `on-behalf-of`: a web API calls Graph as the user whose token it received. */
export async function onBehalfOfFlow(
  app: MsalApp, userAssertion: string | undefined, scopes: string[], request: TokenRequest,
): Promise<AuthenticationResult | null> {
  const cca = confidential(app, 'on-behalf-of');
  if (!userAssertion) throw setupError("flow 'on-behalf-of' needs the option `userAssertion`: the access token your API received");
  return cca.acquireTokenOnBehalfOf({
    oboAssertion: userAssertion, scopes, skipCache: request.forceRefresh ?? false,
    ...(request.claims ? { claims: request.claims } : {}),
  });
}

function confidential(app: MsalApp, flow: string): ConfidentialClientApplication {
  if (app instanceof ConfidentialClientApplication) return app;
  throw setupError(`flow '${flow}' needs a client credential: set the option \`clientSecret\`, \`clientCertificate\` or \`clientAssertion\``);
}
