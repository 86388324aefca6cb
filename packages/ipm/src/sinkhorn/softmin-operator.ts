// The Sinkhorn softmin out_i = −ε log Σ_j w_j e^{(h_j − C_ij)/ε}, C = ‖x − y‖^p / p (Feydy et al.
// 2019, AISTATS, §3). For p = 1 and p = 2 each row is one streaming pass that computes C_ij on the
// fly and keeps an online log-sum-exp (running max M and Σ e^{v − M}, rescaled when M grows), so
// no n×m cost matrix is held and each entry costs one exponential. Other p read cost rows
// (cached when small, since a general power per entry is expensive).
import type { HostPoints } from '../points/points.js';
import { pointCostRows } from '../wasserstein/cost-rows.js';

/** out_i = −ε log Σ_j e^{logW_j + (h_j − C_ij)/ε} for every point x_i. */
export type Softmin = (logW: Float64Array, h: Float64Array, eps: number, out: Float64Array) => void;

/** The softmin over the cost ‖x_i − y_j‖^p / p between host clouds x `[n, d]` and y `[m, d]`. */
export function softminOperator(x: HostPoints, y: HostPoints, p: number): Softmin {
  const { n, d } = x;
  const m = y.n;
  if (p !== 1 && p !== 2) {
    const costs = pointCostRows(x, y, p, 1 / p, 'small');
    const row = new Float64Array(m);
    return (logW, h, eps, out) => {
      for (let i = 0; i < n; i++) {
        const c = costs.row(i, row);
        let max = -Infinity;
        let sum = 0;
        for (let j = 0; j < m; j++) {
          const v = logW[j]! + (h[j]! - c[j]!) / eps;
          if (v > max) {
            sum = sum * Math.exp(max - v) + 1;
            max = v;
          } else if (v > -Infinity) sum += Math.exp(v - max);
        }
        out[i] = -eps * (max + Math.log(sum));
      }
    };
  }
  const xs = x.data;
  const ys = y.data;
  const u = new Float64Array(m);
  return (logW, h, eps, out) => {
    // v_ij = u_j − C_ij/ε with u_j = log w_j + h_j/ε; C/ε = r²/(2ε) (p = 2) or r/ε (p = 1).
    const inv = 1 / eps;
    for (let j = 0; j < m; j++) u[j] = logW[j]! + h[j]! * inv;
    const scale = p === 2 ? 0.5 * inv : inv;
    const fast = d === 2 && p === 2;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      let sum = 0;
      const o = i * d;
      const a0 = xs[o]!;
      const a1 = d > 1 ? xs[o + 1]! : 0;
      for (let j = 0; j < m; j++) {
        let c: number;
        if (fast) {
          const t0 = a0 - ys[2 * j]!;
          const t1 = a1 - ys[2 * j + 1]!;
          c = t0 * t0 + t1 * t1;
        } else {
          let r2 = 0;
          for (let k = 0, q = j * d; k < d; k++) {
            const t = xs[o + k]! - ys[q + k]!;
            r2 += t * t;
          }
          c = p === 2 ? r2 : Math.sqrt(r2);
        }
        const v = u[j]! - scale * c;
        if (v > max) {
          sum = sum * Math.exp(max - v) + 1;
          max = v;
        } else if (v > -Infinity) sum += Math.exp(v - max);
      }
      out[i] = -eps * (max + Math.log(sum));
    }
  };
}
