/**
 * The optimal-string-alignment distance between `a` and `b`: the fewest insertions, deletions,
 * substitutions and swaps of two adjacent characters that turn one into the other, each
 * substring edited at most once (Damerau 1964; Wagner–Fischer dynamic programming, O(|a|·|b|)).
 * A swap counts one: "realnpv" is 1 from "realnvp".
 */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  // Three rows of the (n + 1) × (m + 1) table: two back (for swaps), one back, current.
  let before = new Array<number>(m + 1).fill(0);
  let previous = Array.from({ length: m + 1 }, (_, j) => j);
  let current = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    current[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[m]!;
}
