// Ground costs C_ij = ‖x_i − y_j‖^p read row by row, in Float64. Small problems cache the n×m
// matrix; large ones (e.g. 10 000 × 10 000, 800 MB in Float64) recompute each row on demand in
// O(m·d), so exact and entropic solvers run in O((n + m)·d) memory.
import type { HostPoints } from '../points/points.js';

/** Row access to an n×m cost matrix. */
export interface CostRows {
  readonly n: number;
  readonly m: number;
  /** Row i (length m): either a view of a cached matrix or `scratch` filled in. */
  row(i: number, scratch: Float64Array): Float64Array;
  /** One entry C_ij. */
  at(i: number, j: number): number;
  /**
   * Optional part of row i: C_ij for from ≤ j < to, at index j − from of `scratch` (or of a view of
   * a cached matrix). Solvers that read a few hundred entries at a time (network simplex pricing)
   * use it instead of computing the whole row.
   */
  segment?(i: number, from: number, to: number, scratch: Float64Array): Float64Array;
  /**
   * Optional fused pricing scan over from ≤ j < to: the smallest C_ij + offset − shift_j if it is
   * below `below`, its column in best[0] and value in best[1] (best untouched otherwise).
   */
  priceSegment?(i: number, from: number, to: number, offset: number, shift: Float64Array, below: number, best: Float64Array): void;
  /** Optional fused scan: best = [j₁, min_j (C_ij + shift_j), second smallest value]. */
  bestTwo?(i: number, shift: Float64Array, best: Float64Array): void;
}

/** Matrices with at most this many entries (32 MB in Float64) are cached. */
export const COST_CACHE_ENTRIES = 1 << 22;

/**
 * Costs C_ij = ‖x_i − y_j‖^p · scale between host point clouds x `[n, d]` and y `[m, d]`
 * (p = 2: squared distance, computed without a square root). Cached in Float64 when at most
 * 4M entries and either d > 4 or `cache = 'small'`; otherwise recomputed per row.
 */
export function pointCostRows(
  x: HostPoints,
  y: HostPoints,
  p: number,
  scale = 1,
  cache: 'auto' | 'small' = 'auto',
): CostRows {
  const { n, d } = x;
  const m = y.n;
  const xs = x.data;
  const ys = y.data;
  const transform = (s: number) => scale * (p === 2 ? s : p === 1 ? Math.sqrt(s) : Math.pow(Math.sqrt(s), p));
  // Writes C_ij for from ≤ j < to at out[j − from].
  const segment = (i: number, from: number, to: number, out: Float64Array) => {
    const o = i * d;
    if (d === 1) {
      const xi = xs[o]!;
      for (let j = from; j < to; j++) {
        const t = xi - ys[j]!;
        out[j - from] = transform(t * t);
      }
    } else if (d === 2) {
      const x0 = xs[o]!;
      const x1 = xs[o + 1]!;
      if (p === 2) {
        for (let j = from; j < to; j++) {
          const t0 = x0 - ys[2 * j]!;
          const t1 = x1 - ys[2 * j + 1]!;
          out[j - from] = scale * (t0 * t0 + t1 * t1);
        }
      } else {
        for (let j = from; j < to; j++) {
          const t0 = x0 - ys[2 * j]!;
          const t1 = x1 - ys[2 * j + 1]!;
          out[j - from] = transform(t0 * t0 + t1 * t1);
        }
      }
    } else {
      for (let j = from; j < to; j++) {
        let s = 0;
        const q = j * d;
        for (let k = 0; k < d; k++) {
          const t = xs[o + k]! - ys[q + k]!;
          s += t * t;
        }
        out[j - from] = transform(s);
      }
    }
    return out;
  };
  const fill = (i: number, out: Float64Array) => segment(i, 0, m, out);
  const at = (i: number, j: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const t = xs[i * d + k]! - ys[j * d + k]!;
      s += t * t;
    }
    return transform(s);
  };
  // 'auto': in low dimensions recomputing a row costs about as much as reading a cached one (the
  // assignment solver reads each row a few times); 'small': cache whenever the matrix is small
  // (Sinkhorn reads every row hundreds of times).
  if ((cache === 'small' || d > 4) && n * m <= COST_CACHE_ENTRIES) {
    const cache = new Float64Array(n * m);
    for (let i = 0; i < n; i++) fill(i, cache.subarray(i * m, (i + 1) * m));
    return {
      n,
      m,
      row: (i) => cache.subarray(i * m, (i + 1) * m),
      at: (i, j) => cache[i * m + j]!,
      segment: (i, from, to) => cache.subarray(i * m + from, i * m + to),
    };
  }
  // Fused bid scan for the common 2-D squared-distance case: no row is written.
  const bestTwo =
    d === 2 && p === 2
      ? (i: number, shift: Float64Array, best: Float64Array) => {
          const x0 = xs[2 * i]!;
          const x1 = xs[2 * i + 1]!;
          let w1 = Infinity;
          let w2 = Infinity;
          let j1 = 0;
          for (let j = 0; j < m; j++) {
            const t0 = x0 - ys[2 * j]!;
            const t1 = x1 - ys[2 * j + 1]!;
            const h = scale * (t0 * t0 + t1 * t1) + shift[j]!;
            if (h < w2) {
              if (h < w1) {
                w2 = w1;
                w1 = h;
                j1 = j;
              } else {
                w2 = h;
              }
            }
          }
          best[0] = j1;
          best[1] = w1;
          best[2] = w2;
        }
      : undefined;
  // Fused pricing scan for the same case (the network simplex's inner loop).
  const priceSegment =
    d === 2 && p === 2
      ? (i: number, from: number, to: number, offset: number, shift: Float64Array, below: number, best: Float64Array) => {
          const x0 = xs[2 * i]!;
          const x1 = xs[2 * i + 1]!;
          let min = below;
          let arg = -1;
          for (let j = from; j < to; j++) {
            const t0 = x0 - ys[2 * j]!;
            const t1 = x1 - ys[2 * j + 1]!;
            const h = scale * (t0 * t0 + t1 * t1) + offset - shift[j]!;
            if (h < min) {
              min = h;
              arg = j;
            }
          }
          if (arg >= 0) {
            best[0] = arg;
            best[1] = min;
          }
        }
      : undefined;
  return bestTwo && priceSegment ? { n, m, row: fill, at, segment, bestTwo, priceSegment } : { n, m, row: fill, at, segment };
}

/** Cost rows of an explicit matrix `[n][m]` (validated: rectangular, finite). */
export function matrixCostRows(matrix: ReadonlyArray<ArrayLike<number>>, where: string): CostRows {
  const n = matrix.length;
  const m = n > 0 ? matrix[0]!.length : 0;
  if (n === 0 || m === 0) throw new RangeError(`${where}: the cost matrix must be non-empty, got ${n}×${m}`);
  const data = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const r = matrix[i]!;
    if (r.length !== m) throw new RangeError(`${where}: cost row ${i} has ${r.length} entries, expected ${m}`);
    for (let j = 0; j < m; j++) {
      const v = r[j]!;
      if (!Number.isFinite(v)) throw new RangeError(`${where}: cost[${i}][${j}] = ${v} is not finite`);
      data[i * m + j] = v;
    }
  }
  return {
    n,
    m,
    row: (i) => data.subarray(i * m, (i + 1) * m),
    at: (i, j) => data[i * m + j]!,
    segment: (i, from, to) => data.subarray(i * m + from, i * m + to),
  };
}
