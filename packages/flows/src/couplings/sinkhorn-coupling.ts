// The minibatch entropic OT coupling (Tong et al. 2024, §3.3; Cuturi 2013): the plan
//   π = argmin ⟨π, C⟩ − ε H(π) over couplings of the two uniform minibatch measures,
// with C_ij = ‖x0_i − x1_j‖², is computed by Sinkhorn with ε-scaling (@pfm/ipm; GeomLoss's loop by
// default), and B pairs (i, j) are drawn from π with replacement (torchcfm's OT plan sampler):
// a row i from the row masses r_i = Σ_j π_ij, then a column from row i, so no n×m matrix is held.
// ε → 0 recovers exact OT, ε → ∞ the independent coupling.
import * as tf from '@tensorflow/tfjs-core';
import { sinkhorn, type SinkhornResult } from '@pfm/ipm';
import type { Coupling } from './coupling.js';
import { sinkhornCouplingSchema, type SinkhornCouplingOptions } from './coupling-schema.js';

/** Draws minibatch pairs from the entropic OT plan. */
export function sinkhornCoupling(options: SinkhornCouplingOptions = {}): Coupling {
  const { epsilon, maxIterations, mode, scaling } = sinkhornCouplingSchema.parse(options);
  return {
    name: 'sinkhorn',
    pair(x0, x1, rng) {
      const n = x0.shape[0];
      const m = x1.shape[0];
      const d = x0.shape[1];
      const xs = Float64Array.from(x0.dataSync());
      const ys = Float64Array.from(x1.dataSync());
      let maxSq = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) maxSq = Math.max(maxSq, squaredDistance(xs, ys, i, j, d));
      // @pfm/ipm's cost is ‖x − y‖²/2 with ε = blur², so exp(−C/ε_ipm) = exp(−‖x − y‖²/(ε maxSq)) needs blur² = ε maxSq / 2.
      const blur = Math.sqrt(Math.max(epsilon * maxSq, 1e-12) / 2);
      const solved = sinkhorn(x0, x1, { blur, mode, maxIterations, ...(scaling !== undefined ? { scaling } : {}) });
      const sampler = planRows(solved, xs, ys, n, m, d);
      const rows = new Int32Array(n);
      const cols = new Int32Array(n);
      for (let s = 0; s < n; s++) {
        // One uniform per pair, as for the flattened plan: u·total falls in row i, the rest in its columns.
        const [i, j] = sampler(rng.next());
        rows[s] = i;
        cols[s] = j;
      }
      return tf.tidy(() => ({
        x0: tf.gather(x0, tf.tensor1d(rows, 'int32')) as tf.Tensor2D,
        x1: tf.gather(x1, tf.tensor1d(cols, 'int32')) as tf.Tensor2D,
      }));
    },
  };
}

function squaredDistance(xs: Float64Array, ys: Float64Array, i: number, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = xs[i * d + k]! - ys[j * d + k]!;
    s += t * t;
  }
  return s;
}

/**
 * u ∈ [0, 1) ↦ (i, j) with probability π_ij / Σπ, π_ij = e^{(f_i + g_j − C_ij)/ε} / (n m), C = ‖x − y‖²/2:
 * the cumulative row masses are computed once (one pass over the pairs), each draw recomputes one row.
 */
function planRows(
  solved: SinkhornResult,
  xs: Float64Array,
  ys: Float64Array,
  n: number,
  m: number,
  d: number,
): (u: number) => [number, number] {
  const { f, g } = solved.potentials;
  const inv = 1 / solved.epsilon;
  const entry = (i: number, j: number) => Math.exp((f[i]! + g[j]! - 0.5 * squaredDistance(xs, ys, i, j, d)) * inv) / (n * m);
  const rowTotals = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < m; j++) r += Math.max(0, entry(i, j));
    rowTotals[i] = total += r;
  }
  return (u) => {
    const target = u * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rowTotals[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    const i = lo;
    let rest = target - (i > 0 ? rowTotals[i - 1]! : 0);
    for (let j = 0; j < m - 1; j++) {
      rest -= Math.max(0, entry(i, j));
      if (rest < 0) return [i, j];
    }
    return [i, m - 1];
  };
}
