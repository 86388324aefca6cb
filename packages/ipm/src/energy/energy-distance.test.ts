import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkDiscrepancyAxioms } from '@pfm/core/testing';
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
import { energyDistance } from './energy-distance.js';

// Φ via erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7).
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

// E|Z| for Z ~ N(m, s²) = s·sqrt(2/π)·exp(−m²/(2s²)) + m·(1 − 2Φ(−m/s)).
function meanAbs(m: number, s: number): number {
  return s * Math.sqrt(2 / Math.PI) * Math.exp(-(m * m) / (2 * s * s)) + m * (1 - 2 * normalCdf(-m / s));
}

describe('energyDistance', () => {
  it('matches the closed form between two 1-D Gaussians', () => {
    // X ~ N(0, 1), Y ~ N(1, 0.5²): ED = 2E|X − Y| − E|X − X'| − E|Y − Y'|.
    const [m, s1, s2] = [1, 1, 0.5];
    const exact = 2 * meanAbs(m, Math.hypot(s1, s2)) - meanAbs(0, Math.SQRT2 * s1) - meanAbs(0, Math.SQRT2 * s2);
    const n = 1000;
    const x = toTensor(gaussianRows(11, n, [0], s1));
    const y = toTensor(gaussianRows(12, n, [m], s2));
    const value = scalarValue(energyDistance(x, y, { tileSize: 400 }));
    tf.dispose([x, y]);
    // U-statistic (unbiased: over 2000 host replicates at n = 100 its mean was 0.7593 ± 0.0032);
    // its standard deviation at n = 1500 is 0.032 (10 seeds), ≈ 0.039 at n = 1000, so 0.13 is ≈ 3.3
    // standard deviations, while dropping the factor 2 or a self term moves the value by more than 0.5.
    expect(exact).toBeCloseTo(0.76116, 4);
    expect(Math.abs(value - exact)).toBeLessThan(0.13);
  });

  it('has a finite gradient when points coincide, and matches float64 finite differences elsewhere', () => {
    const yr = gaussianRows(13, 6, [0, 0], 1);
    const xr = [yr[0]!.slice(), yr[0]!.slice(), [0.3, -0.2], [1, 1]];
    const f = (x: tf.Tensor2D) => {
      const y = toTensor(yr);
      const v = energyDistance(x, y);
      y.dispose();
      return v;
    };
    const g = gradientRows(f, xr);
    expect(g.flat().every(Number.isFinite)).toBe(true);
    // Away from coincident points the estimator is smooth: compare with central differences.
    const xs = gaussianRows(14, 5, [0.5, 0], 1);
    const norm = (u: number[], v: number[]) => Math.sqrt(dist2(u, v));
    // Energy distance = −(U-statistic "MMD" with k = −‖·‖), i.e. hostMmd with k = −norm.
    const fd = finiteDifference((x) => hostMmd(x, yr, (u, v) => -norm(u, v), true), xs);
    expect(relativeError(gradientRows(f, xs), fd)).toBeLessThan(1e-2);
  });

  it('tiled and untiled values and gradients agree', () => {
    const xr = gaussianRows(15, 21, [0, 0], 1);
    const yr = gaussianRows(16, 13, [0, 1], 1);
    const f = (tileSize: number) => (x: tf.Tensor2D) => {
      const y = toTensor(yr);
      const v = energyDistance(x, y, { tileSize, exponent: 1.5 });
      y.dispose();
      return v;
    };
    expect(relativeError(gradientRows(f(4), xr), gradientRows(f(64), xr))).toBeLessThan(1e-4);
  });

  it('satisfies the discrepancy axioms', () => {
    checkDiscrepancyAxioms((x, y) => energyDistance(x, y, { estimator: 'biased' }), { name: 'energy-v' });
    checkDiscrepancyAxioms((x, y) => energyDistance(x, y), { name: 'energy-u', zeroOnIdentical: false, nonnegative: false });
  });

  it('rejects an exponent outside (0, 2)', () => {
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    expect(() => energyDistance(x, x, { exponent: 2 })).toThrow(/exponent must be in \(0, 2\), got 2/);
    x.dispose();
  });
});
