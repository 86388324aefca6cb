// The Sinkhorn softmin out_i = −ε log Σ_j w_j e^{(h_j − C_ij)/ε}, C = ‖x − y‖^p / p (Feydy et al.
// 2019, AISTATS, §3). For p = 1 and p = 2 each row computes C_ij on the fly into one row of
// exponents and their maximum M, then Σ e^{v − M}, so no n×m cost matrix is held and each entry
// costs one exponential. Other p read cost rows (cached when small, since a general power per
// entry is expensive) into the same two passes.
import type { HostPoints } from '../points/points.js';
import { fastExp } from '../pairwise/fast-exp.js';
import { pointCostRows } from '../wasserstein/cost-rows.js';

/** out_i = −ε log Σ_j e^{logW_j + (h_j − C_ij)/ε} for every point x_i. */
export type Softmin = (logW: Float64Array, h: Float64Array, eps: number, out: Float64Array) => void;

/** The softmin over the cost ‖x_i − y_j‖^p / p between host clouds x `[n, d]` and y `[m, d]`. */
export function softminOperator(x: HostPoints, y: HostPoints, p: number): Softmin {
  const { n, d } = x;
  const m = y.n;
  const xs = x.data;
  const ys = y.data;
  const u = new Float64Array(m);
  const v = new Float64Array(m);
  // fill(i, scale): v_j = u_j − scale·c_ij for row i, returning max_j v_j, where c = r² (p = 2,
  // C = c/2), c = r (p = 1) or, for other p, c = C read from the cost rows.
  let fill: (i: number, scale: number) => number;
  let costPerC: number;
  if (p !== 1 && p !== 2) {
    const costs = pointCostRows(x, y, p, 1 / p, 'small');
    const row = new Float64Array(m);
    costPerC = 1;
    fill = (i, scale) => rowFromCosts(costs.row(i, row), m, u, scale, v);
  } else {
    costPerC = p === 2 ? 0.5 : 1;
    fill = d === 2 && p === 2 ? (i, scale) => rowSquared2d(xs, ys, i, m, u, scale, v) : (i, scale) => rowGeneral(xs, ys, i, d, m, p, u, scale, v);
  }
  return (logW, h, eps, out) => {
    // v_ij = u_j − C_ij/ε with u_j = log w_j + h_j/ε.
    const inv = 1 / eps;
    for (let j = 0; j < m; j++) u[j] = logW[j]! + h[j]! * inv;
    const scale = costPerC * inv;
    for (let i = 0; i < n; i++) {
      // Two passes over the row: v_ij and their maximum, then Σ e^{v_ij − max} with the
      // table-driven exponential (arguments ≤ 0). Branch-free, unlike a one-pass online
      // log-sum-exp whose rescaling branch mispredicts; the row of v costs O(m) memory.
      const max = fill(i, scale);
      if (max === -Infinity) {
        out[i] = Infinity;
        continue;
      }
      let sum = 0;
      for (let j = 0; j < m; j++) sum += fastExp(v[j]! - max);
      out[i] = -eps * (max + Math.log(sum));
    }
  };
}

/** v_j = u_j − scale·c_j for a row of costs; returns max_j v_j. */
function rowFromCosts(c: Float64Array, m: number, u: Float64Array, scale: number, v: Float64Array): number {
  let max = -Infinity;
  for (let j = 0; j < m; j++) {
    const value = u[j]! - scale * c[j]!;
    v[j] = value;
    if (value > max) max = value;
  }
  return max;
}

/** v_j = u_j − scale·‖x_i − y_j‖² for 2-D points; returns max_j v_j. */
function rowSquared2d(xs: Float64Array, ys: Float64Array, i: number, m: number, u: Float64Array, scale: number, v: Float64Array): number {
  const a0 = xs[2 * i]!;
  const a1 = xs[2 * i + 1]!;
  let max = -Infinity;
  for (let j = 0; j < m; j++) {
    const t0 = a0 - ys[2 * j]!;
    const t1 = a1 - ys[2 * j + 1]!;
    const value = u[j]! - scale * (t0 * t0 + t1 * t1);
    v[j] = value;
    if (value > max) max = value;
  }
  return max;
}

/** v_j = u_j − scale·C(x_i, y_j) with C = r² (p = 2) or r (p = 1), any dimension; returns max_j v_j. */
function rowGeneral(
  xs: Float64Array, ys: Float64Array, i: number, d: number, m: number, p: number, u: Float64Array, scale: number, v: Float64Array,
): number {
  const o = i * d;
  let max = -Infinity;
  for (let j = 0; j < m; j++) {
    let r2 = 0;
    for (let k = 0, q = j * d; k < d; k++) {
      const t = xs[o + k]! - ys[q + k]!;
      r2 += t * t;
    }
    const value = u[j]! - scale * (p === 2 ? r2 : Math.sqrt(r2));
    v[j] = value;
    if (value > max) max = value;
  }
  return max;
}
