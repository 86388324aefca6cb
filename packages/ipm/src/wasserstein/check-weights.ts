/** Validates weights for n points (≥ 0, finite, positive sum) and returns them normalised to sum 1; uniform if absent. */
export function checkWeights(where: string, field: string, weights: ArrayLike<number> | undefined, n: number): Float64Array {
  if (weights === undefined) return new Float64Array(n).fill(1 / n);
  if (weights.length !== n) throw new RangeError(`${where}: ${field} has ${weights.length} entries, expected ${n} (one per point)`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`${where}: ${field}[${i}] must be a finite number ≥ 0, got ${w}`);
    total += w;
  }
  if (!(total > 0)) throw new RangeError(`${where}: ${field} must have a positive sum`);
  return Float64Array.from({ length: n }, (_, i) => weights[i]! / total);
}
