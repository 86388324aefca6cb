import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { finiteDifference, gaussianRows, gradientRows, relativeError, scalarValue, toTensor, type Rows } from '../test-support/host.js';
import { gaussianScore } from './gaussian-score.js';
import { kernelSteinDiscrepancy } from './kernel-stein-discrepancy.js';

// Float64 host U/V-statistic with the Gaussian kernel and the score s(x) = −x (target N(0, I)).
function hostKsd(x: Rows, l: number, unbiased: boolean): number {
  const d = x[0]!.length;
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < x.length; j++) {
      if (unbiased && i === j) continue;
      const a = x[i]!;
      const b = x[j]!;
      const delta = a.map((v, k) => v - b[k]!);
      const r2 = delta.reduce((s, v) => s + v * v, 0);
      const k = Math.exp(-r2 / (2 * l * l));
      const sa = a.map((v) => -v);
      const sb = b.map((v) => -v);
      // u = k sᵀs' + sᵀ∇_{x'}k + ∇_x kᵀ s' + tr ∇_x∇_{x'}k, with ∇_x k = −δk/ℓ², ∇_{x'}k = δk/ℓ²,
      // tr ∇_x∇_{x'}k = k (d/ℓ² − r²/ℓ⁴).
      const dot = (u: number[], v: number[]) => u.reduce((s, t, q) => s + t * v[q]!, 0);
      total += k * dot(sa, sb) + (k / (l * l)) * dot(sa, delta) - (k / (l * l)) * dot(delta, sb) + k * (d / (l * l) - r2 / l ** 4);
    }
  }
  return total / (unbiased ? x.length * (x.length - 1) : x.length ** 2);
}

describe('kernelSteinDiscrepancy', () => {
  it('matches the closed form ‖μ‖²(ℓ²/(ℓ² + 2))^{d/2} for N(μ, I) against N(0, I) (Gaussian kernel)', () => {
    // s_p − s_q = −x + (x − μ) = −μ, so KSD² = E (s_p − s_q)(X)ᵀ k(X, X') (s_p − s_q)(X') = ‖μ‖² E k(X, X'),
    // and X − X' ~ N(0, 2I) gives E k = (ℓ²/(ℓ² + 2))^{d/2}.
    const mu = [0.6, -0.3];
    const l = 1.2;
    const exact = (mu[0]! ** 2 + mu[1]! ** 2) * (l * l / (l * l + 2));
    const x = toTensor(gaussianRows(1, 1000, mu, 1));
    const value = scalarValue(kernelSteinDiscrepancy(x, { score: gaussianScore(0, 1), kernel: 'gaussian', lengthScale: l, tileSize: 400 }));
    x.dispose();
    // U-statistic, unbiased (host check: mean 0.1924 ± 0.0025 over 2000 samples of 40 points, exact
    // 0.1884); its standard deviation at n = 1000 is 0.0128 (8 seeds), so 0.045 is ≈ 3.5 standard
    // deviations. Dropping the trace term changes the value by ≈ 0.5.
    expect(Math.abs(value - exact)).toBeLessThan(0.045);
  });

  it('is ≈ 0 when the sample follows the target (IMQ, U-statistic) and > 0 otherwise', () => {
    const inside = toTensor(gaussianRows(2, 500, [1, 2], [0.5, 2]));
    const outside = toTensor(gaussianRows(3, 500, [1.5, 2], [0.5, 2]));
    const options = { score: gaussianScore([1, 2], [0.5, 2]) };
    const zero = scalarValue(kernelSteinDiscrepancy(inside, options));
    const positive = scalarValue(kernelSteinDiscrepancy(outside, options));
    // Under p = q the U-statistic is degenerate: mean 0, spread O(1/n) (8 seeds at n = 500: −0.004 ± 0.002,
    // right-skewed). With the mean shifted by 0.5 = one standard deviation it is 1.9 ± 0.2.
    expect(Math.abs(zero)).toBeLessThan(0.02);
    expect(positive).toBeGreaterThan(0.5);
    tf.dispose([inside, outside]);
  });

  it('value and gradient match a float64 reference (both estimators, tiled)', () => {
    const xr = gaussianRows(4, 7, [0.3, 0], 1);
    for (const unbiased of [true, false]) {
      const f = (x: tf.Tensor2D) =>
        kernelSteinDiscrepancy(x, {
          score: gaussianScore(),
          kernel: 'gaussian',
          lengthScale: 0.9,
          estimator: unbiased ? 'unbiased' : 'biased',
          tileSize: 3,
        });
      const x = toTensor(xr);
      expect(scalarValue(f(x))).toBeCloseTo(hostKsd(xr, 0.9, unbiased), 5);
      x.dispose();
      const fd = finiteDifference((xs) => hostKsd(xs, 0.9, unbiased), xr);
      expect(relativeError(gradientRows(f, xr), fd)).toBeLessThan(1e-2);
    }
  });

  it('rejects a score of the wrong shape and bad options', () => {
    const x = tf.zeros([4, 2]) as tf.Tensor2D;
    expect(() => kernelSteinDiscrepancy(x, { score: (a) => tf.zeros([a.shape[0], 3]) as tf.Tensor2D })).toThrow(/score\(x\) must return \[4, 2\], got \[4, 3\]/);
    expect(() => kernelSteinDiscrepancy(x, { score: gaussianScore(), kernel: 'rbf' as never })).toThrow(/kernel must be "imq" or "gaussian"/);
    expect(() => gaussianScore(0, -1)).toThrow(/std must be positive, got -1/);
    x.dispose();
  });
});
