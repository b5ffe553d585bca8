/**
 * Graph does not keep a batch's responses in request order, so a client that matches them up by
 * position is broken. `shuffled` (the default) makes that visible every time, deterministically.
 */
export type BatchResponseOrder = 'input' | 'reversed' | 'shuffled';

/**
 * `shuffled` is a Fisher–Yates shuffle seeded by the batch's index since the last reset, so a test
 * sees the same order on every run; it never returns the input order when there are 2+ responses.
 */
export function orderResponses<T>(responses: readonly T[], order: BatchResponseOrder, seed: number): T[] {
  if (order === 'input') return [...responses];
  if (order === 'reversed') return [...responses].reverse();
  const random = mulberry32(0x9e3779b9 ^ seed);
  const indexes = responses.map((_, i) => i);
  for (let i = indexes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  // A shuffle may land on the identity; rotating by one keeps "out of order" guaranteed.
  if (indexes.every((value, i) => value === i)) indexes.push(indexes.shift()!);
  return indexes.map((i) => responses[i]!);
}

// A tiny seeded PRNG: Math.random cannot be seeded, and tests want repeatable orders.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
