import { PublicClientApplication, type AuthenticationResult, type DeviceCodeRequest } from '@azure/msal-node';
import { GraphAuthError, type TokenRequest } from '@graphwire/core';
import { setupError } from '../errors.js';
import type { MsalApp } from '../msal-app.js';
import type { MsalNodeSessionOptions } from '../options.js';
import { openSystemBrowser } from '../open-browser.js';

/**
 * The step a person takes when no cached account can give a token silently: device code,
 * system browser with loopback redirect, or (deprecated) username and password. The
 * `authorization` flow cannot sign in from here: the web app must redirect its user.
 */
export async function userSignIn(
  app: MsalApp, options: MsalNodeSessionOptions, flow: string, scopes: string[], request: TokenRequest,
): Promise<AuthenticationResult | null> {
  const claims = request.claims ? { claims: request.claims } : {};
  switch (flow) {
    case 'device': {
      const deviceRequest: DeviceCodeRequest = {
        scopes, ...claims,
        deviceCodeCallback: (r) => {
          const info = { userCode: r.userCode, verificationUri: r.verificationUri, message: r.message, expiresIn: r.expiresIn };
          if (options.onDeviceCode) options.onDeviceCode(info);
          else process.stderr.write(`${r.message}\n`);
        },
      };
      // MSAL reads this flag before each poll of the token endpoint: the one flow it can cancel.
      request.signal?.addEventListener('abort', () => { deviceRequest.cancel = true; }, { once: true });
      return publicClient(app, flow).acquireTokenByDeviceCode(deviceRequest);
    }
    case 'interactive':
      return publicClient(app, flow).acquireTokenInteractive({
        scopes, ...claims,
        ...(options.username ? { loginHint: options.username } : {}),
        openBrowser: options.openBrowser ?? openSystemBrowser,
      });
    case 'password':
      if (!options.username || !options.password) {
        throw setupError("flow 'password' needs the options `username` and `password`");
      }
      return app.acquireTokenByUsernamePassword({ scopes, username: options.username, password: options.password, ...claims });
    default:
      throw new GraphAuthError(
        `[@graphwire/msal-node] no signed-in account${options.username ? ` named ${options.username}` : ''} in the token cache: send the user to getAuthorizationUrl() and complete with requestToken()`,
        { errorCode: 'no_account', interactionRequired: true, ...(request.claims ? { claims: request.claims } : {}) },
      );
  }
}

function publicClient(app: MsalApp, flow: string): PublicClientApplication {
  if (app instanceof PublicClientApplication) return app;
  throw setupError(`flow '${flow}' is for public clients: remove the client credential option (\`clientSecret\`, \`clientCertificate\`, \`clientAssertion\`)`);
}
