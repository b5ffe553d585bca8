import type * as OidcProviderModule from 'oidc-provider';

/**
 * Loads oidc-provider without its one warning that configuration cannot prevent.
 *
 * When its module is first evaluated, oidc-provider checks the runtime and, on anything older than
 * Node 22 LTS, prints `oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS, or a later
 * LTS release.` through `console.warn` (in bold red when stderr is a TTY). It runs fine on Node 20
 * (this package's floor is 20.19), so that line is noise in every test and example. While the module
 * is imported, and only then, `console.warn` drops exactly that line; every other warning, from
 * oidc-provider or anyone else, goes through unchanged. Everything else it could warn about is
 * configured away in `startOidcProvider`.
 */

/** The lines dropped, as oidc-provider prints them (without the TTY colour codes). */
export const SUPPRESSED_WARNINGS: readonly string[] = [
  'oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS, or a later LTS release.',
];

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[\d;]*m/g;

/** True for exactly the lines in `SUPPRESSED_WARNINGS`, coloured or not. */
export function isSuppressedWarning(args: readonly unknown[]): boolean {
  return args.length === 1 && typeof args[0] === 'string' && SUPPRESSED_WARNINGS.includes(args[0].replace(ANSI, ''));
}

/** Runs `load` with `console.warn` dropping the suppressed lines; restores it afterwards. */
export async function withoutSuppressedWarnings<T>(load: () => Promise<T>): Promise<T> {
  const original = console.warn;
  const filtered = (...args: unknown[]): void => {
    if (!isSuppressedWarning(args)) original.apply(console, args);
  };
  console.warn = filtered;
  try {
    return await load();
  } finally {
    // Only undo our own wrapper: if someone replaced console.warn meanwhile (a test spy), keep theirs.
    if (console.warn === filtered) console.warn = original;
  }
}

let loading: Promise<typeof OidcProviderModule> | undefined;

/** oidc-provider's module, imported once per process. */
export function loadOidcProvider(): Promise<typeof OidcProviderModule> {
  loading ??= withoutSuppressedWarnings(() => import('oidc-provider'));
  return loading;
}
