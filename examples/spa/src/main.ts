// The app: redirect sign-in with MSAL, access tokens kept in IndexedDB (so a reload needs no new
// sign-in and no token request), the signed-in user, a paged list of users, sign-out.
import type { User } from '@microsoft/microsoft-graph-types';
import { Connection, type GraphPage } from '@graphwire/core';
import { IndexedDbTokenStore, MsalBrowserSession, isRedirectInProgressError } from '@graphwire/msal-browser';
import { readConfig, signInOptions } from './config.js';

type State = 'loading' | 'signed-out' | 'signed-in' | 'error';

const element = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`index.html has no #${id}`);
  return found as T;
};
const signInButton = element<HTMLButtonElement>('sign-in');
const signOutButton = element<HTMLButtonElement>('sign-out');
const nextPageButton = element<HTMLButtonElement>('next-page');

/** `data-state` on <body> says what the page shows (the end-to-end test waits for it too). */
function show(state: State): void {
  document.body.dataset.state = state;
  signInButton.hidden = state !== 'signed-out';
  signOutButton.hidden = state !== 'signed-in';
  element('signed-out').hidden = state !== 'signed-out';
  element('signed-in').hidden = state !== 'signed-in';
}

function showError(error: unknown): void {
  // A redirect is under way: the page is about to leave, nothing went wrong.
  if (isRedirectInProgressError(error)) return;
  const box = element('error');
  box.textContent = error instanceof Error ? error.message : String(error);
  box.hidden = false;
  // A failure while loading the page replaces it; a failed click keeps what is shown.
  if (document.body.dataset.state === 'loading') show('error');
  console.error(error);
}

// The users list, one page at a time: the iterator follows @odata.nextLink on each click.
let pages: AsyncGenerator<GraphPage<User>, void> | undefined;
let pageNumber = 0;
let usersShown = 0;

async function showNextPage(): Promise<void> {
  if (!pages) return;
  element('error').hidden = true;
  nextPageButton.disabled = true;
  const next = await pages.next();
  if (next.done) return;
  const page = next.value;
  pageNumber += 1;
  element('page-number').textContent = String(pageNumber);
  element('users').replaceChildren(...page.value.map((user) => {
    const item = document.createElement('li');
    item.textContent = user.displayName ?? user.id ?? '';
    const mail = document.createElement('span');
    mail.textContent = user.mail ?? user.userPrincipalName ?? '';
    item.append(mail);
    return item;
  }));
  element('users').setAttribute('start', String(usersShown + 1));
  usersShown += page.value.length;
  nextPageButton.disabled = page['@odata.nextLink'] === undefined;
}

async function main(): Promise<void> {
  const config = readConfig();
  const session = new MsalBrowserSession({
    ...(await signInOptions(config)),
    scopes: config.scopes,
    interaction: 'redirect', // the default, spelled out: login() leaves the page and comes back
    tokenStore: new IndexedDbTokenStore(), // the default too: tokens survive reloads, one refresh across tabs
  });
  const con = new Connection({ session, baseUrl: config.graphBaseUrl, scopes: config.scopes });

  signInButton.addEventListener('click', () => {
    signInButton.disabled = true;
    session.login().catch(showError);
  });
  signOutButton.addEventListener('click', () => {
    signOutButton.disabled = true;
    // Deletes the tokens from IndexedDB, then signs out at the provider and comes back to this page.
    session.logout().catch(showError);
  });
  nextPageButton.addEventListener('click', () => {
    showNextPage().catch(showError);
  });

  // On every load: completes a sign-in coming back from the provider, else finds a signed-in account.
  const account = await session.initialize();
  if (!account) {
    show('signed-out');
    return;
  }
  element('account').textContent = account.username;
  const me = await con.get('me', { searchParams: { $select: 'displayName,mail,userPrincipalName' } }).json<User>();
  element('me-name').textContent = me.displayName ?? '';
  element('me-mail').textContent = me.mail ?? me.userPrincipalName ?? '';
  pages = con.paginate<User>('users', { searchParams: { $select: 'id,displayName,mail,userPrincipalName', $top: 10 } }).pages();
  await showNextPage();
  show('signed-in');
}

main().catch(showError);
