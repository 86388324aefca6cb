import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkDiscrepancyAxioms } from '@pfm/core/testing';
import { gaussianKernel } from '../kernels/gaussian-kernel.js';
import { laplaceKernel } from '../kernels/laplace-kernel.js';
import { distanceKernel } from '../kernels/distance-kernel.js';
import { energyDistance } from '../energy/energy-distance.js';
import {
  dist2,
  finiteDifference,
  gaussianRows,
  gradientRows,
  hostMmd,
  relativeError,
  scalarValue,
  toTensor,
} from '../test-support/host.js';
import { mmd } from './mmd.js';

// E exp(−‖Z‖²/(2ℓ²)) for Z ~ N(m, s² I_d) = (ℓ²/(ℓ² + s²))^{d/2} exp(−‖m‖²/(2(ℓ² + s²))).
function gaussianExpectation(l: number, s2: number, m2: number, d: number): number {
  return (l * l / (l * l + s2)) ** (d / 2) * Math.exp(-m2 / (2 * (l * l + s2)));
}

describe('mmd', () => {
  it('matches the closed form between two Gaussians (U-statistic, tiled)', () => {
    // X ~ N(0, σ1² I), Y ~ N(μ, σ2² I), d = 2, ℓ = 1:
    // MMD² = E k(X,X') + E k(Y,Y') − 2 E k(X,Y) with X − X' ~ N(0, 2σ1² I), X − Y ~ N(−μ, (σ1² + σ2²) I).
    const d = 2;
    const l = 1;
    const [s1, s2] = [1, 0.7];
    const mu = [0.8, -0.4];
    const m2 = mu[0]! ** 2 + mu[1]! ** 2;
    const exact =
      gaussianExpectation(l, 2 * s1 * s1, 0, d) +
      gaussianExpectation(l, 2 * s2 * s2, 0, d) -
      2 * gaussianExpectation(l, s1 * s1 + s2 * s2, m2, d);
    const n = 1000;
    const x = toTensor(gaussianRows(1, n, [0, 0], s1));
    const y = toTensor(gaussianRows(2, n, mu, s2));
    const value = scalarValue(mmd(x, y, { kernel: gaussianKernel({ bandwidth: l }), tileSize: 400 }));
    tf.dispose([x, y]);
    // The U-statistic is unbiased; its standard deviation at n = m = 1500 is 0.0058 here (12 seeds),
    // so ≈ 0.0071 at n = 1000 and 0.025 is ≈ 3.5 standard deviations. A missing factor 2 on the
    // cross term, or ℓ instead of ℓ² in the kernel, moves the value by more than 0.1.
    expect(exact).toBeCloseTo(0.15437, 4);
    expect(Math.abs(value - exact)).toBeLessThan(0.025);
  });

  it('tiled and untiled sums agree in value and gradient', () => {
    const xr = gaussianRows(3, 23, [0, 0, 0], 1);
    const yr = gaussianRows(4, 17, [0.5, 0, 0], 1.2);
    const kernel = gaussianKernel({ bandwidth: [0.7, 2] });
    for (const estimator of ['unbiased', 'biased'] as const) {
      const f = (tileSize: number) => (x: tf.Tensor2D) => {
        const y = toTensor(yr);
        const v = mmd(x, y, { kernel, estimator, tileSize });
        y.dispose();
        return v;
      };
      const full = gradientRows(f(1024), xr);
      const tiled = gradientRows(f(5), xr);
      expect(relativeError(tiled, full)).toBeLessThan(1e-4);
      const x = toTensor(xr);
      expect(scalarValue(f(5)(x))).toBeCloseTo(scalarValue(f(1024)(x)), 5);
      x.dispose();
    }
  });

  it('gradient equals a float64 finite difference of the same estimator', () => {
    const xr = gaussianRows(5, 6, [0, 0], 1);
    const yr = gaussianRows(6, 5, [1, 0], 1);
    const l = 1.3;
    const k = (u: number[], v: number[]) => Math.exp(-dist2(u, v) / (2 * l * l));
    for (const unbiased of [true, false]) {
      const fd = finiteDifference((x) => hostMmd(x, yr, k, unbiased), xr);
      const g = gradientRows((x) => {
        const y = toTensor(yr);
        const v = mmd(x, y, { kernel: gaussianKernel({ bandwidth: l }), estimator: unbiased ? 'unbiased' : 'biased', tileSize: 4 });
        y.dispose();
        return v;
      }, xr);
      // float32 forward/backward against float64 central differences: 1e-2 relative.
      expect(relativeError(g, fd)).toBeLessThan(1e-2);
    }
  });

  it('with the distance kernel equals the energy distance', () => {
    const x = toTensor(gaussianRows(7, 40, [0, 0], 1));
    const y = toTensor(gaussianRows(8, 30, [1, 1], 0.5));
    for (const estimator of ['unbiased', 'biased'] as const) {
      const a = scalarValue(mmd(x, y, { kernel: distanceKernel(), estimator }));
      const b = scalarValue(energyDistance(x, y, { estimator }));
      expect(a).toBeCloseTo(b, 4);
    }
    tf.dispose([x, y]);
  });

  it('satisfies the discrepancy axioms (biased estimator)', () => {
    for (const kernel of [gaussianKernel({ bandwidth: 1.5 }), laplaceKernel({ bandwidth: 1 })]) {
      checkDiscrepancyAxioms((x, y) => mmd(x, y, { kernel, estimator: 'biased' }), { name: 'mmd-v' });
    }
    checkDiscrepancyAxioms((x, y) => mmd(x, y, { kernel: gaussianKernel({ bandwidth: 1.5 }) }), { name: 'mmd-u', zeroOnIdentical: false, nonnegative: false });
  });

  it('rejects bad input with a message naming the field', () => {
    const x = tf.zeros([4, 2]) as tf.Tensor2D;
    const y = tf.zeros([4, 3]) as tf.Tensor2D;
    const one = tf.zeros([1, 2]) as tf.Tensor2D;
    expect(() => mmd(x, y)).toThrow(/same dimension d/);
    expect(() => mmd(one, x)).toThrow(/x needs at least 2 point/);
    expect(() => mmd(x, x, { estimator: 'v' as never })).toThrow(/estimator must be/);
    expect(() => mmd(x, x, { tileSize: 0 })).toThrow(/tileSize must be a positive integer, got 0/);
    expect(() => gaussianKernel({ bandwidth: -1 })).toThrow(/bandwidth must be a positive number or "median", got -1/);
    tf.dispose([x, y, one]);
  });
});
