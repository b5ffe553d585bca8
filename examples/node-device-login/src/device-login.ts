// A CLI sign-in: the device code flow on first use, the saved tokens after that.
import { Connection } from '@graphwire/core';
import { FileTokenStore, MsalNodeSession, type DeviceCodeInfo } from '@graphwire/msal-node';
import type { MsalAuthorityConfig } from '@graphwire/testing';
import type { User } from '@microsoft/microsoft-graph-types';

export interface DeviceLoginOptions {
  /** Your app registration (a public client: "Allow public client flows" on). */
  clientId: string;
  /** Your Azure AD tenant (id or domain). Not needed with `msal` (the local provider). */
  tenantId?: string;
  /** Only for the local OpenID provider: its MSAL settings (`idp.msal`). */
  msal?: MsalAuthorityConfig;
  /** Graph's base URL; default https://graph.microsoft.com/v1.0. */
  baseUrl?: string;
  /** Where the token cache file lives (`msal.<clientId>.json`, mode 0600). */
  tokenDir: string;
  /**
   * Called after the code is shown. A person opens the URL and types the code; in the local demo a
   * scripted user does it. MSAL polls the provider meanwhile, until the sign-in completes.
   */
  completeSignIn?: (info: DeviceCodeInfo) => Promise<void>;
  print?: (line: string) => void;
}

export interface DeviceLoginResult {
  /** True when a device code was needed; false when the saved sign-in was enough. */
  deviceCodeShown: boolean;
  username: string | undefined;
  displayName: string | undefined;
  mail: string | undefined;
}

const SCOPES = ['User.Read'];

export async function runDeviceLogin(options: DeviceLoginOptions): Promise<DeviceLoginResult> {
  const print = options.print ?? console.log;
  let deviceCodeShown = false;
  // Without a person at the keyboard, a failed scripted sign-in must not leave MSAL polling for the
  // code's whole lifetime (15 minutes on Azure AD): it cancels the request that waits for it.
  const stop = new AbortController();
  const session = new MsalNodeSession({
    flow: 'device',
    clientId: options.clientId,
    tenantId: options.tenantId,
    msal: options.msal, // the local provider's authority and endpoints; unset for Azure AD
    scopes: SCOPES,
    tokenStore: new FileTokenStore({ directory: options.tokenDir }),
    onDeviceCode: (info) => {
      deviceCodeShown = true;
      print(`To sign in, open ${info.verificationUri} and enter the code ${info.userCode}`);
      options.completeSignIn?.(info).catch((error: unknown) => stop.abort(error));
    },
  });

  const [saved] = await session.accounts();
  if (saved) print(`Found a saved sign-in for ${saved.username} in ${options.tokenDir}`);

  const con = new Connection({ session, fetch: session.fetch, scopes: SCOPES, baseUrl: options.baseUrl });
  try {
    // The first call needs a token: from the cache file if it holds one, else by the device code flow.
    const me = await con.get('me', { signal: stop.signal }).json<User>();
    const [account] = await session.accounts();
    if (deviceCodeShown) print(`Signed in as ${account?.username}; tokens saved in ${options.tokenDir}`);
    print(`Hello, ${me.displayName} (${me.mail ?? me.userPrincipalName})`);
    return { deviceCodeShown, username: account?.username, displayName: me.displayName ?? undefined, mail: me.mail ?? undefined };
  } finally {
    await con.close();
  }
}
