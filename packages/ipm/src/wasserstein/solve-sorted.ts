// One-dimensional optimal transport for a convex cost |x − y|^p, p ≥ 1: the monotone (quantile)
// coupling is optimal, W_p^p = ∫₀¹ |F⁻¹(t) − G⁻¹(t)|^p dt (Villani 2003, "Topics in Optimal
// Transportation", Thm 2.18; Santambrogio 2015, §2.2). Sorting: O((n + m) log(n + m)).

/** The monotone coupling: nonzero entries, and their total cost Σ π_ij |x_i − y_j|^p. */
export interface SortedSolution {
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly mass: Float64Array;
  readonly cost: number;
}

function order(values: Float64Array): Int32Array {
  const idx = Int32Array.from({ length: values.length }, (_, i) => i);
  idx.sort((i, j) => values[i]! - values[j]! || i - j);
  return idx;
}

/**
 * Optimal transport on the line between x `[n]` with weights a and y `[m]` with weights b (each
 * summing to 1) for the cost |x − y|^p: walks the two sorted samples, matching quantiles.
 * Source: Santambrogio 2015, "Optimal Transport for Applied Mathematicians", Prop. 2.17.
 */
export function solveSorted(x: Float64Array, a: Float64Array, y: Float64Array, b: Float64Array, p: number): SortedSolution {
  const ox = order(x);
  const oy = order(y);
  const rows: number[] = [];
  const cols: number[] = [];
  const mass: number[] = [];
  let cost = 0;
  let i = 0;
  let j = 0;
  let ra = a[ox[0]!]!;
  let rb = b[oy[0]!]!;
  while (i < ox.length && j < oy.length) {
    const w = Math.min(ra, rb);
    const xi = ox[i]!;
    const yj = oy[j]!;
    if (w > 0) {
      rows.push(xi);
      cols.push(yj);
      mass.push(w);
      cost += w * Math.abs(x[xi]! - y[yj]!) ** p;
    }
    ra -= w;
    rb -= w;
    // Advance the side that ran out (both on a tie); round-off leftovers below 1e-15 count as empty.
    const nextI = ra <= 1e-15;
    const nextJ = rb <= 1e-15;
    if (nextI) {
      i++;
      if (i < ox.length) ra = a[ox[i]!]!;
    }
    if (nextJ) {
      j++;
      if (j < oy.length) rb = b[oy[j]!]!;
    }
    if (!nextI && !nextJ) break;
  }
  return { rows: Int32Array.from(rows), cols: Int32Array.from(cols), mass: Float64Array.from(mass), cost };
}
