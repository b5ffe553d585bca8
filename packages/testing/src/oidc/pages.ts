/**
 * The provider's HTML pages: sign-in, consent, device code entry and confirmation, sign-out.
 * Plain forms with no external resources (oidc-provider's defaults import Google Fonts). The field
 * names are what `signInAs` and the Chromium tests fill in: `login`, `password`, `prompt`
 * (`login` / `consent`), `button[type=submit]`, `button[name=logout][value=yes]`; the device forms
 * come from oidc-provider itself (`xsrf`, `user_code`, `confirm`).
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
}

export function loginPage(action: string, loginHint: string | undefined): string {
  const hint = loginHint ? ` value="${escapeHtml(loginHint)}"` : '';
  return page('Sign in', `<p>Any user name and any password sign in (a local test provider).</p>
<form autocomplete="off" action="${escapeHtml(action)}" method="post">
  <input type="hidden" name="prompt" value="login"/>
  <input required type="text" name="login" placeholder="User name"${hint} autofocus>
  <input required type="password" name="password" placeholder="Password">
  <button type="submit">Sign in</button>
</form>`);
}

export function consentPage(action: string, clientId: string, scopes: readonly string[]): string {
  const list = scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return page('Authorize', `<p><strong>${escapeHtml(clientId)}</strong> asks for:</p>
<ul>${list || '<li>the access you granted before</li>'}</ul>
<form autocomplete="off" action="${escapeHtml(action)}" method="post">
  <input type="hidden" name="prompt" value="consent"/>
  <button type="submit">Continue</button>
</form>`);
}

/** `form` is oidc-provider's own device form (hidden xsrf and user_code fields). */
export function deviceInputPage(form: string, error: boolean): string {
  const message = error ? '<p>The code is not valid. Try again.</p>' : '<p>Enter the code shown on your device.</p>';
  return page('Sign in', `${message}
${form}
<button type="submit" form="op.deviceInputForm">Continue</button>`);
}

export function deviceConfirmPage(form: string, clientId: string, userCode: string): string {
  return page('Confirm device', `<p><strong>${escapeHtml(clientId)}</strong> shows this code: <code>${escapeHtml(userCode)}</code></p>
${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`);
}

export function logoutPage(form: string, host: string): string {
  return page(`Sign out from ${host}?`, `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
}

export function errorPage(out: unknown): string {
  return `<pre id="error">${JSON.stringify(out).replace(/</g, '\\u003c')}</pre>`;
}
