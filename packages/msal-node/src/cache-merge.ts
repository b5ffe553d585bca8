type Sections = Record<string, Record<string, unknown>>;

/**
 * Three-way merge of MSAL's serialized caches (sections like Account, AccessToken, RefreshToken,
 * each a map of entries). `base` is the file as it is now, `loaded` what this process last read,
 * `mine` what it wants to write. Only what this process changed since `loaded` is applied: entries
 * it added or modified win, entries it removed (logout) go, and everything else is taken from
 * `base`. So one process never erases another's freshly signed-in account (python-o365 #350),
 * nor puts back a refresh token that another process has already rotated.
 */
export function mergeSerializedCaches(base: string | undefined, loaded: string | undefined, mine: string): string {
  const current = parse(base);
  const before = parse(loaded);
  const next = parse(mine);
  const result: Sections = {};
  for (const name of new Set([...Object.keys(current), ...Object.keys(next)])) {
    const section = { ...current[name] };
    const old = before[name] ?? {};
    const now = next[name] ?? {};
    for (const key of Object.keys(old)) {
      if (!(key in now)) delete section[key];
    }
    for (const [key, value] of Object.entries(now)) {
      if (!(key in old) || JSON.stringify(old[key]) !== JSON.stringify(value)) section[key] = value;
    }
    result[name] = section;
  }
  return JSON.stringify(result);
}

function parse(text: string | undefined): Sections {
  if (!text) return {};
  const data: unknown = JSON.parse(text);
  const sections: Sections = {};
  if (typeof data !== 'object' || data === null) return sections;
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) sections[name] = value as Record<string, unknown>;
  }
  return sections;
}
