import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { checkDiscrepancyAxioms } from '@pfm/core/testing';
import { energyDistance } from '../energy/energy-distance.js';
import { gaussianKernel } from '../kernels/gaussian-kernel.js';
import { laplaceKernel } from '../kernels/laplace-kernel.js';
import { mmd } from '../mmd/mmd.js';
import {
  dist2,
  finiteDifference,
  gaussianRows,
  gradientRows,
  hostMmd,
  relativeError,
  scalarValue,
  toTensor,
  type Rows,
} from '../test-support/host.js';
import { characteristicFeatures } from './characteristic-features.js';
import { energyConstant } from './energy-constant.js';
import { featureDiscrepancy } from './feature-discrepancy.js';
import { fourierFeatures } from './fourier-features.js';
import { momentFeatures } from './moment-features.js';

describe('energyConstant', () => {
  it('is π^{(d+1)/2}/Γ((d+1)/2)', () => {
    expect(energyConstant(1)).toBeCloseTo(Math.PI, 12);
    expect(energyConstant(2)).toBeCloseTo(2 * Math.PI, 12);
    expect(energyConstant(3)).toBeCloseTo(Math.PI ** 2, 12);
    // Γ(5/2) = 3√π/4.
    expect(energyConstant(4)).toBeCloseTo(Math.PI ** 2.5 / ((3 * Math.sqrt(Math.PI)) / 4), 10);
  });
});

describe('characteristic features', () => {
  // Identity: ∫|φ_μ(s) − φ_ν(s)|² |s|^{−(d+1)} ds = c_d · ED(μ, ν) (energyConstant). The 'energy' law
  // uses τ(ds) = |s|^{−(d+1)} ds / c_d, so D₂² estimates ED itself; it holds sample by sample for both
  // estimators (each is a sum of (1 − cos(s·(a − b))) terms), leaving only the frequency Monte Carlo error.
  it('with τ ∝ |s|^{-(d+1)} equals the energy distance (d = 1, 2)', () => {
    // Monte Carlo over frequencies: the relative standard deviation measured over 10 seeds is < 0.05%
    // for d = 1 (stratified radii, M = 4000) and 1.3% for d = 2 (M = 20 000; 0.9% for d = 3);
    // tolerances 0.5% and 4% (≈ 3 standard deviations). Forgetting c_d (2π for d = 2) is off by > 3×.
    for (const [d, M, tol] of [[1, 4000, 0.005], [2, 20_000, 0.04]] as const) {
      const x = toTensor(gaussianRows(21 + d, 20, new Array<number>(d).fill(0), 1));
      const y = toTensor(gaussianRows(31 + d, 15, new Array<number>(d).fill(0.5), 0.7));
      const family = characteristicFeatures({ dim: d, rng: createRng(d), count: M, law: 'energy' });
      for (const estimator of ['unbiased', 'biased'] as const) {
        const ed = scalarValue(energyDistance(x, y, { estimator }));
        const d2 = scalarValue(featureDiscrepancy(x, y, { family, estimator }));
        expect(Math.abs(d2 / ed - 1)).toBeLessThan(tol);
      }
      tf.dispose([x, y]);
    }
  });

  it('with Gaussian / Cauchy frequencies equals MMD² with the Gaussian / Laplace kernel (Bochner)', () => {
    const x = toTensor(gaussianRows(41, 16, [0, 0], 1));
    const y = toTensor(gaussianRows(42, 16, [0.7, 0], 1));
    const l = 0.8;
    const cases = [
      ['gaussian', gaussianKernel({ bandwidth: l })],
      ['cauchy', laplaceKernel({ bandwidth: l })],
    ] as const;
    for (const [law, kernel] of cases) {
      const family = characteristicFeatures({ dim: 2, rng: createRng(7), count: 20_000, law, lengthScale: l });
      const d2 = scalarValue(featureDiscrepancy(x, y, { family, estimator: 'biased' }));
      const k = scalarValue(mmd(x, y, { kernel, estimator: 'biased' }));
      // Each random-feature term is bounded by 4; at M = 20 000 the Monte Carlo error is ≈ 1.5% of the value.
      expect(Math.abs(d2 / k - 1)).toBeLessThan(0.05);
    }
    tf.dispose([x, y]);
  });
});

describe('fourier features', () => {
  it('with τ_k = 2(2πk)^{-2} give ∫₀¹ (F_x − F_y − c)² (Cramér–von Mises on the circle), by hand', () => {
    // x = {0.1, 0.35, 0.8}, y = {0.2, 0.25, 0.6, 0.9}: H = F_x − F_y is, on the consecutive intervals
    // [0,.1) [.1,.2) [.2,.25) [.25,.35) [.35,.6) [.6,.8) [.8,.9) [.9,1):  0, 1/3, 1/12, −1/6, 1/6, −1/12, 1/4, 0.
    // ∫H = 17/240, ∫H² = 83/2880, so ∫(H − ∫H)² = 83/2880 − (17/240)² = 1371/57600.
    const exact = 1371 / 57600;
    const x = tf.tensor2d([[0.1], [0.35], [0.8]]);
    const y = tf.tensor2d([[0.2], [0.25], [0.6], [0.9]]);
    const family = fourierFeatures({ dim: 1, maxFrequency: 4000 });
    const value = scalarValue(featureDiscrepancy(x, y, { family, estimator: 'biased' }));
    // Truncation at K = 4000 drops Σ_{k>K} 2|c_k|²/(2πk)² ≤ 2/(π²K) = 5e-5 (|c_k| ≤ 2), i.e. < 0.25%.
    expect(Math.abs(value - exact) / exact).toBeLessThan(0.005);
    tf.dispose([x, y]);
  });

  it('enumerates half of the grid 0 < ‖k‖∞ ≤ K and rejects grids that are too large', () => {
    const family = fourierFeatures({ dim: 2, maxFrequency: 2 });
    expect(family.size).toBe(2 * 12);
    expect(() => fourierFeatures({ dim: 8, maxFrequency: 8 })).toThrow(/more than 50000; lower maxFrequency/);
    expect(() => fourierFeatures({ dim: 2, frequencies: [[0, 0]] })).toThrow(/frequencies\[0\] is the zero vector/);
  });
});

describe('moment-generating features', () => {
  it('with t ~ N(0, σ²I) approximate MMD² with k(x, y) = exp(σ²‖x + y‖²/2)', () => {
    const xr = gaussianRows(51, 10, [0, 0], 0.4);
    const yr = gaussianRows(52, 10, [0.3, 0.1], 0.4);
    const sigma = 0.5;
    const exact = hostMmd(xr, yr, (u, v) => Math.exp((sigma * sigma * dist2(u, v.map((t) => -t))) / 2), false);
    const family = momentFeatures({ dim: 2, rng: createRng(3), count: 60_000, scale: sigma });
    const x = toTensor(xr);
    const y = toTensor(yr);
    const value = scalarValue(featureDiscrepancy(x, y, { family, estimator: 'biased' }));
    tf.dispose([x, y]);
    // Monte Carlo over t with light-tailed terms (σ‖x‖ ≤ 0.6): ≈ 1% error at M = 60 000.
    expect(Math.abs(value / exact - 1)).toBeLessThan(0.05);
  });
});

describe('featureDiscrepancy', () => {
  // Host float64 reference of both estimators for explicit frequencies.
  function hostD2(x: Rows, y: Rows, freqs: Rows, tau: number[], unbiased: boolean): number {
    let total = 0;
    freqs.forEach((s, k) => {
      for (const part of [Math.cos, Math.sin]) {
        const fx = x.map((p) => part(p.reduce((a, v, j) => a + v * s[j]!, 0)));
        const fy = y.map((p) => part(p.reduce((a, v, j) => a + v * s[j]!, 0)));
        const [n, m] = [fx.length, fy.length];
        const s1x = fx.reduce((a, b) => a + b, 0);
        const s1y = fy.reduce((a, b) => a + b, 0);
        if (unbiased) {
          const s2x = fx.reduce((a, b) => a + b * b, 0);
          const s2y = fy.reduce((a, b) => a + b * b, 0);
          total += tau[k]! * ((s1x * s1x - s2x) / (n * (n - 1)) + (s1y * s1y - s2y) / (m * (m - 1)) - (2 * s1x * s1y) / (n * m));
        } else total += tau[k]! * (s1x / n - s1y / m) ** 2;
      }
    });
    return total;
  }

  it('value and gradient match a float64 reference (both estimators, tiled)', () => {
    const freqs = [[1, 0.5], [-0.3, 2], [0.7, 0.7]];
    const tau = [0.5, 0.2, 1];
    const family = characteristicFeatures({ dim: 2, rng: createRng(0), frequencies: freqs, weights: tau });
    const xr = gaussianRows(61, 7, [0, 0], 1);
    const yr = gaussianRows(62, 5, [0.5, 0], 1);
    for (const unbiased of [true, false]) {
      const estimator = unbiased ? 'unbiased' : 'biased';
      const f = (x: tf.Tensor2D) => {
        const y = toTensor(yr);
        const v = featureDiscrepancy(x, y, { family, estimator, tileSize: 3 });
        y.dispose();
        return v;
      };
      const x = toTensor(xr);
      expect(scalarValue(f(x))).toBeCloseTo(hostD2(xr, yr, freqs, tau, unbiased), 5);
      x.dispose();
      const fd = finiteDifference((xs) => hostD2(xs, yr, freqs, tau, unbiased), xr);
      expect(relativeError(gradientRows(f, xr), fd)).toBeLessThan(1e-2);
    }
  });

  it('satisfies the discrepancy axioms', () => {
    const family = characteristicFeatures({ dim: 2, rng: createRng(5), count: 128 });
    checkDiscrepancyAxioms((x, y) => featureDiscrepancy(x, y, { family, estimator: 'biased' }), { name: 'characteristic-v' });
    const fourier = fourierFeatures({ dim: 2, maxFrequency: 3, period: 12 });
    checkDiscrepancyAxioms((x, y) => featureDiscrepancy(x, y, { family: fourier, estimator: 'biased' }), { name: 'fourier-v' });
  });

  it('rejects a family whose weights do not match its size', () => {
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const bad = { size: 3, features: (a: tf.Tensor2D) => tf.zeros([a.shape[0], 3]) as tf.Tensor2D, weights: () => tf.ones([2]) as tf.Tensor1D };
    expect(() => featureDiscrepancy(x, x, { family: bad })).toThrow(/weights\(\) has shape \[2\], expected \[3\]/);
    x.dispose();
  });
});
