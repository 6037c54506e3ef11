/**
 * "Did you mean" suggestions, as Spark's `orderSuggestedIdentifiersBySimilarity`: candidates ordered
 * by Levenshtein distance to the unresolved name (case-insensitive), ties kept in input order.
 */

/** Levenshtein edit distance (insert, delete, substitute each cost 1). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      const sub = prev[j - 1]! + cost;
      cur[j] = Math.min(del, ins, sub);
    }
    const tmp = prev;
    prev = cur;
    cur = tmp;
  }
  return prev[b.length]!;
}

/**
 * The `max` candidates nearest to `name` (case-insensitive Levenshtein), nearest first; duplicates
 * removed. With `maxDistance`, candidates farther than that are left out (Spark itself has no cut-off
 * for column suggestions; function-name suggestions use one).
 */
export function nearestNames(
  name: string,
  candidates: Iterable<string>,
  max = 5,
  options: { maxDistance?: number } = {},
): string[] {
  const target = name.toLowerCase();
  const seen = new Set<string>();
  const scored: { name: string; d: number; i: number }[] = [];
  let i = 0;
  for (const c of candidates) {
    if (seen.has(c)) continue;
    seen.add(c);
    const d = levenshtein(target, c.toLowerCase());
    if (options.maxDistance === undefined || d <= options.maxDistance) scored.push({ name: c, d, i: i++ });
  }
  scored.sort((x, y) => x.d - y.d || x.i - y.i);
  return scored.slice(0, Math.max(0, max)).map((s) => s.name);
}
