import http from 'node:http';
import { optionRules as rules, type OptionRules } from '@graphwire/core';
import { checkOptions, PACKAGE } from './options.js';

/**
 * A scripted user at a browser: follows redirects with a cookie jar, fills in oidc-provider's
 * login and consent forms, and auto-submits form_post responses, the way a person would click
 * through. Loopback hosts only, so a test can never leave the machine.
 */
export interface ScriptedUserOptions {
  /** Account to sign in as (default `alice`; the user name becomes `alice@example.test`). */
  login?: string;
  /** Stop, without requesting it, at the first URL that starts with this (e.g. a web app's redirect URI). */
  stopAt?: string;
  /** Submit the device verification form with this user code. */
  userCode?: string;
}

export const SCRIPTED_USER_RULES: OptionRules = {
  login: { ...rules.nonEmptyString, aliases: ['username', 'user', 'account'] },
  stopAt: { ...rules.nonEmptyString, aliases: ['redirectUri', 'until'] },
  userCode: { ...rules.nonEmptyString, aliases: ['code', 'user_code'] },
};

interface Page { status: number; location: string | undefined; cookies: string[]; body: string }

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_HOPS = 30;

/** Signs in at an authorization (or device verification) URL; resolves to the last URL reached. */
export async function signInAs(startUrl: string, options: ScriptedUserOptions = {}): Promise<string> {
  checkOptions('signInAs', options, SCRIPTED_USER_RULES);
  if (!rules.url.test(startUrl)) throw new TypeError(`[${PACKAGE}] signInAs: the first argument must be the URL to sign in at`);
  const login = options.login ?? 'alice';
  const jar = new Map<string, string>();
  let url = startUrl;
  let method = 'GET';
  let form: URLSearchParams | undefined;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (options.stopAt && url.startsWith(options.stopAt)) return url;
    const page = await send(url, method, jar, form);
    const html = page.body;
    method = 'POST';
    if (page.status >= 300 && page.status < 400 && page.location) {
      url = new URL(page.location, url).toString();
      method = 'GET';
      form = undefined;
      continue;
    }
    const action = new URL(decodeHtml(/<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? url), url).toString();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    if (/name="prompt" value="login"/.test(html)) {
      form = new URLSearchParams({ prompt: 'login', login, password: 'any' });
    } else if (/name="prompt" value="consent"/.test(html)) {
      form = new URLSearchParams({ prompt: 'consent' });
    } else if (/name="confirm"/.test(html) && xsrf) {
      form = new URLSearchParams({ xsrf, user_code: options.userCode ?? '', confirm: 'yes' });
    } else if (/name="user_code"/.test(html) && xsrf) {
      form = new URLSearchParams({ xsrf, user_code: options.userCode ?? '' });
    } else if (/<form[^>]*method="post"/i.test(html) && /name="(code|error)"/.test(html)) {
      // response_mode=form_post: the page auto-submits its hidden inputs to the redirect URI.
      form = new URLSearchParams();
      for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
        form.set(decodeHtml(m[1] ?? ''), decodeHtml(m[2] ?? ''));
      }
      if (options.stopAt && action.startsWith(options.stopAt)) return `${action}?${form}`;
    } else if (page.status === 200) {
      return url;
    } else {
      throw new Error(`signInAs: HTTP ${page.status} at ${url}: ${html.slice(0, 300)}`);
    }
    url = action;
  }
  throw new Error(`signInAs: more than ${MAX_HOPS} hops from ${startUrl}`);
}

function send(url: string, method: string, jar: Map<string, string>, form?: URLSearchParams): Promise<Page> {
  const target = new URL(url);
  if (!LOOPBACK.has(target.hostname)) return Promise.reject(new Error(`signInAs: refusing non-loopback ${target.host}`));
  const headers: Record<string, string> = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
  const body = form?.toString();
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const cookies = res.headers['set-cookie'] ?? [];
        for (const c of cookies) {
          const [pair = ''] = c.split(';');
          const i = pair.indexOf('=');
          const name = pair.slice(0, i).trim();
          const value = pair.slice(i + 1);
          if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
          else jar.set(name, value);
        }
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, cookies, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function decodeHtml(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x2F;/g, '/').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
