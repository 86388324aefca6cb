// S = Σ_{i,j} κ(‖x_i − y_j‖²) (or the self sum Σ_{i≠j} κ(‖x_i − x_j‖²), each unordered pair once
// and doubled) in one pass over pairs on the host, with the gradient accumulated on the way:
// ∂S/∂x_i = Σ_j 2κ'(r²_ij)(x_i − y_j), ∂S/∂y_j = −Σ_i 2κ'(r²_ij)(x_i − y_j). Columns are visited in
// blocks of `block` so a block of y and of its gradient stays in cache; nothing n×m is stored.
import type { HostPoints } from '../points/points.js';
import { fastExp } from './fast-exp.js';
import type { RadialProfile } from './radial-profile.js';

/** Where {@link fusedPairSum} adds `scale` × its gradient (arrays row-major like the points). */
export interface PairSumGradient {
  scale: number;
  /** ∂/∂x accumulates here, `[n·d]`. */
  gx: Float64Array;
  /** ∂/∂y accumulates here, `[m·d]` (ignored for a self sum). */
  gy: Float64Array | null;
}

/**
 * Σ_{i,j} κ(‖x_i − y_j‖²) for host points x `[n, d]`, y `[m, d]`; with `y = null` the self sum over
 * i ≠ j (plus n·κ(0) when `includeDiagonal`). Adds scale·∇S into `gradient` when given.
 * Work O(n·m·d), memory O(block).
 */
export function fusedPairSum(
  x: HostPoints,
  y: HostPoints | null,
  profile: RadialProfile,
  options: { block: number; includeDiagonal?: boolean; gradient?: PairSumGradient | null },
): number {
  const self = y === null;
  const other = self ? x : y;
  const { n, d } = x;
  const m = other.n;
  const xs = x.data;
  const ys = other.data;
  const block = Math.max(1, Math.min(options.block, m));
  const r2 = new Float64Array(block);
  const gradient = options.gradient ?? null;
  const slope = gradient ? new Float64Array(block) : null;
  const gx = gradient?.gx ?? null;
  const gy = gradient ? (self ? gradient.gx : gradient.gy) : null;
  // Self sums visit each unordered pair once: twice the value, and twice the gradient.
  const pairWeight = self ? 2 : 1;
  const coef = gradient ? 2 * pairWeight * gradient.scale : 0;
  if (d === 2 && profile.closedForm) {
    const form = profile.closedForm;
    const sum = form.kind === 'norm' ? normSum2d : gaussianSum2d;
    const parameter = form.kind === 'norm' ? form.scale : form.rate;
    const total = sum(xs, ys, n, m, self, block, parameter, gx, gy, coef) * pairWeight;
    return self && options.includeDiagonal ? total + n * profile.atZero : total;
  }
  let total = 0;
  for (let j0 = 0; j0 < m; j0 += block) {
    const jEnd = Math.min(m, j0 + block);
    const rowEnd = self ? Math.min(n, jEnd - 1) : n;
    for (let i = 0; i < rowEnd; i++) {
      const jStart = self ? Math.max(j0, i + 1) : j0;
      const count = jEnd - jStart;
      if (count <= 0) continue;
      const o = i * d;
      if (d === 2) {
        const a0 = xs[o]!;
        const a1 = xs[o + 1]!;
        for (let k = 0, q = 2 * jStart; k < count; k++, q += 2) {
          const t0 = a0 - ys[q]!;
          const t1 = a1 - ys[q + 1]!;
          r2[k] = t0 * t0 + t1 * t1;
        }
      } else if (d === 1) {
        const a0 = xs[o]!;
        for (let k = 0; k < count; k++) {
          const t0 = a0 - ys[jStart + k]!;
          r2[k] = t0 * t0;
        }
      } else {
        for (let k = 0, q = jStart * d; k < count; k++, q += d) {
          let s = 0;
          for (let c = 0; c < d; c++) {
            const t = xs[o + c]! - ys[q + c]!;
            s += t * t;
          }
          r2[k] = s;
        }
      }
      total += profile.sum(r2, count, slope);
      if (!slope || !gx || !gy) continue;
      if (d === 2) {
        const a0 = xs[o]!;
        const a1 = xs[o + 1]!;
        let s0 = 0;
        let s1 = 0;
        for (let k = 0, q = 2 * jStart; k < count; k++, q += 2) {
          const w = coef * slope[k]!;
          const t0 = w * (a0 - ys[q]!);
          const t1 = w * (a1 - ys[q + 1]!);
          s0 += t0;
          s1 += t1;
          gy[q] = gy[q]! - t0;
          gy[q + 1] = gy[q + 1]! - t1;
        }
        gx[o] = gx[o]! + s0;
        gx[o + 1] = gx[o + 1]! + s1;
      } else {
        for (let k = 0, q = jStart * d; k < count; k++, q += d) {
          const w = coef * slope[k]!;
          for (let c = 0; c < d; c++) {
            const t = w * (xs[o + c]! - ys[q + c]!);
            gx[o + c] = gx[o + c]! + t;
            gy[q + c] = gy[q + c]! - t;
          }
        }
      }
    }
  }
  total *= pairWeight;
  if (self && options.includeDiagonal) total += n * profile.atZero;
  return total;
}

// The 2-D closed forms in one pass per pair (value, slope and gradient without intermediate arrays):
// about twice as fast as the three passes of the generic loop for the two most used discrepancies.
// Both take the same arguments: gx/gy null means no gradient; coef = 2·pairWeight·scale.

/** Σ c‖x_i − y_j‖ (c = `scale`), slope c/(2r), 0 at r = 0. */
function normSum2d(
  xs: Float64Array, ys: Float64Array, n: number, m: number, self: boolean, block: number,
  scale: number, gx: Float64Array | null, gy: Float64Array | null, coef: number,
): number {
  let total = 0;
  const w0 = 0.5 * scale * coef;
  for (let j0 = 0; j0 < m; j0 += block) {
    const jEnd = Math.min(m, j0 + block);
    const rowEnd = self ? Math.min(n, jEnd - 1) : n;
    for (let i = 0; i < rowEnd; i++) {
      const jStart = self ? Math.max(j0, i + 1) : j0;
      const a0 = xs[2 * i]!;
      const a1 = xs[2 * i + 1]!;
      let s = 0;
      if (gx && gy) {
        let s0 = 0;
        let s1 = 0;
        for (let q = 2 * jStart; q < 2 * jEnd; q += 2) {
          const t0 = a0 - ys[q]!;
          const t1 = a1 - ys[q + 1]!;
          const r2 = t0 * t0 + t1 * t1;
          const r = Math.sqrt(r2);
          s += r;
          const w = r2 > 0 ? w0 / r : 0;
          const g0 = w * t0;
          const g1 = w * t1;
          s0 += g0;
          s1 += g1;
          gy[q] = gy[q]! - g0;
          gy[q + 1] = gy[q + 1]! - g1;
        }
        gx[2 * i] = gx[2 * i]! + s0;
        gx[2 * i + 1] = gx[2 * i + 1]! + s1;
      } else {
        for (let q = 2 * jStart; q < 2 * jEnd; q += 2) {
          const t0 = a0 - ys[q]!;
          const t1 = a1 - ys[q + 1]!;
          s += Math.sqrt(t0 * t0 + t1 * t1);
        }
      }
      total += s;
    }
  }
  return scale * total;
}

/** Σ e^{rate‖x_i − y_j‖²}, slope rate·e^{rate r²}. */
function gaussianSum2d(
  xs: Float64Array, ys: Float64Array, n: number, m: number, self: boolean, block: number,
  rate: number, gx: Float64Array | null, gy: Float64Array | null, coef: number,
): number {
  let total = 0;
  const w0 = rate * coef;
  for (let j0 = 0; j0 < m; j0 += block) {
    const jEnd = Math.min(m, j0 + block);
    const rowEnd = self ? Math.min(n, jEnd - 1) : n;
    for (let i = 0; i < rowEnd; i++) {
      const jStart = self ? Math.max(j0, i + 1) : j0;
      const a0 = xs[2 * i]!;
      const a1 = xs[2 * i + 1]!;
      let s = 0;
      if (gx && gy) {
        let s0 = 0;
        let s1 = 0;
        for (let q = 2 * jStart; q < 2 * jEnd; q += 2) {
          const t0 = a0 - ys[q]!;
          const t1 = a1 - ys[q + 1]!;
          const e = fastExp(rate * (t0 * t0 + t1 * t1));
          s += e;
          const w = w0 * e;
          const g0 = w * t0;
          const g1 = w * t1;
          s0 += g0;
          s1 += g1;
          gy[q] = gy[q]! - g0;
          gy[q + 1] = gy[q + 1]! - g1;
        }
        gx[2 * i] = gx[2 * i]! + s0;
        gx[2 * i + 1] = gx[2 * i + 1]! + s1;
      } else {
        for (let q = 2 * jStart; q < 2 * jEnd; q += 2) {
          const t0 = a0 - ys[q]!;
          const t1 = a1 - ys[q + 1]!;
          s += fastExp(rate * (t0 * t0 + t1 * t1));
        }
      }
      total += s;
    }
  }
  return total;
}
