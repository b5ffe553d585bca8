import type { AccountInfo, AuthenticationResult, IPublicClientApplication } from '@azure/msal-browser';
import { GraphAuthError } from '@graphwire/core';
import { PREFIX } from './errors.js';

/** The signed-in account whose homeAccountId is `hint`, or whose username is `hint` in any case. */
export function findAccount(msal: IPublicClientApplication, hint: string): AccountInfo | undefined {
  const lower = hint.toLowerCase();
  return msal.getAllAccounts().find((a) => a.homeAccountId === hint || a.username.toLowerCase() === lower);
}

/**
 * The active account; else the `preferred` one (username or homeAccountId), else the only one
 * signed in, which then becomes active. Null when none fits.
 */
export function chooseAccount(msal: IPublicClientApplication, preferred: string | undefined): AccountInfo | null {
  const active = msal.getActiveAccount();
  if (active) return active;
  const all = msal.getAllAccounts();
  const chosen = preferred ? findAccount(msal, preferred) : all.length === 1 ? all[0] : undefined;
  if (chosen) msal.setActiveAccount(chosen);
  return chosen ?? null;
}

/**
 * Makes the account of a sign-in or token result the active one; `onSwitch` runs when it replaces
 * another account. Throws when the result carries no access token or no account.
 */
export function adoptAccount(msal: IPublicClientApplication, result: AuthenticationResult, onSwitch: () => void): AccountInfo {
  if (!result.accessToken || !result.account) {
    throw new GraphAuthError(`${PREFIX} the identity provider returned no access token`, { errorCode: 'no_access_token' });
  }
  const previous = msal.getActiveAccount();
  msal.setActiveAccount(result.account);
  // Someone else signed in (login() as another user): Connections must not keep the old token.
  if (previous && previous.homeAccountId !== result.account.homeAccountId) onSwitch();
  return result.account;
}
