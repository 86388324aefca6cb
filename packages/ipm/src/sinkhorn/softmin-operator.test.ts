import { describe, expect, it } from 'vitest';
import { gaussianRows } from '../test-support/host.js';
import { softminOperator } from './softmin-operator.js';

// Two-pass reference: out_i = −ε (M_i + log Σ_j e^{v_ij − M_i}), v_ij = log w_j + (h_j − ‖x_i − y_j‖^p/p)/ε.
function reference(x: number[][], y: number[][], p: number, logW: Float64Array, h: Float64Array, eps: number): number[] {
  return x.map((xi) => {
    const v = y.map((yj, j) => {
      const r = Math.sqrt(xi.reduce((s, t, k) => s + (t - yj[k]!) ** 2, 0));
      return logW[j]! + (h[j]! - r ** p / p) / eps;
    });
    const max = Math.max(...v);
    return -eps * (max + Math.log(v.reduce((s, t) => s + (t === -Infinity ? 0 : Math.exp(t - max)), 0)));
  });
}

function host(rows: number[][]) {
  return { data: Float64Array.from(rows.flat()), n: rows.length, d: rows[0]!.length };
}

describe('softminOperator', () => {
  it('equals the two-pass log-sum-exp in one streaming pass (p = 1, 2, 1.5; d = 1, 2, 3; zero weights; tiny ε)', () => {
    for (const d of [1, 2, 3]) {
      const x = gaussianRows(1 + d, 11, new Array<number>(d).fill(0), 1);
      const y = gaussianRows(5 + d, 9, new Array<number>(d).fill(0.5), 2);
      const h = Float64Array.from({ length: 9 }, (_, j) => Math.sin(j));
      // One weight 0 (log w = −∞) must be skipped, not turn the sum into NaN.
      const logW = Float64Array.from({ length: 9 }, (_, j) => (j === 4 ? -Infinity : Math.log((j + 1) / 41)));
      for (const p of [1, 2, 1.5]) {
        for (const eps of [1, 0.01, 1e-4]) {
          const out = new Float64Array(11);
          softminOperator(host(x), host(y), p)(logW, h, eps, out);
          const ref = reference(x, y, p, logW, h, eps);
          // Both in Float64; the online rescaling reorders the sum: 1e-12 relative (plus 1e-12 absolute).
          out.forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(ref[i]!))));
        }
      }
    }
  });
});
