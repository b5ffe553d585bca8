// "Did you mean …?": the known option name an unknown key most likely meant.
import type { OptionRules } from './option-rules.js';

/**
 * The known name an unknown key most likely meant: one declaring it as an alias, the same name in
 * another case or in snake_case (`client_id`), else the nearest within a few edits.
 */
export function suggestion(key: string, known: OptionRules): string | undefined {
  const names = Object.keys(known);
  const alias = names.find((name) => known[name]?.aliases?.includes(key));
  if (alias) return alias;
  const flat = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');
  const same = names.find((name) => flat(name) === flat(key));
  if (same) return same;
  // Two edits for short names, three for long ones (`knownAuthority` for `knownAuthorities`).
  const limit = key.length >= 10 ? 3 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of names) {
    const d = distance(key.toLowerCase(), name.toLowerCase(), limit);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** Levenshtein distance, or `limit + 1` when the lengths alone rule out `limit` edits. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
