import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { featureMoments } from './feature-moments.js';
import { frechetDistance } from './frechet-distance.js';

/** Row-major d×d matrix A Aᵀ + εI for a seeded standard normal A (a full-rank covariance). */
function randomCovariance(d: number, seed: number, epsilon = 0.1): Float64Array {
  const a = createRng(seed).normalArray(d * d);
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = i === j ? epsilon : 0;
      for (let k = 0; k < d; k++) s += a[i * d + k]! * a[j * d + k]!;
      c[i * d + j] = s / d;
    }
  }
  return c;
}

describe('frechetDistance', () => {
  it('is W₂² between diagonal Gaussians: ‖μ₁ − μ₂‖² + Σₖ (√aₖ − √bₖ)²', () => {
    // Means (1, 0, −1) and (0, 0, 1): 5; variances (1, 4, 9) and (4, 1, 1): (1−2)² + (2−1)² + (3−1)² = 6.
    const a = { mean: [1, 0, -1], covariance: [1, 0, 0, 0, 4, 0, 0, 0, 9] };
    const b = { mean: [0, 0, 1], covariance: [4, 0, 0, 0, 1, 0, 0, 0, 1] };
    expect(frechetDistance(a, b)).toBeCloseTo(11, 12);
    expect(frechetDistance(b, a)).toBeCloseTo(11, 12);
  });

  it('matches the hand computation for full 2×2 covariances that do not commute', () => {
    // Σ₁ = [[2, 1], [1, 2]], Σ₂ = diag(1, 4). For 2×2 PSD M, tr M^{1/2} = √(tr M + 2√det M), and
    // M = Σ₁^{1/2} Σ₂ Σ₁^{1/2} has tr M = tr Σ₁Σ₂ = 10, det M = det Σ₁ det Σ₂ = 12, so
    // W₂² = ‖(0, 0) − (1, 2)‖² + (4 + 5) − 2√(10 + 4√3) = 14 − 2√(10 + 4√3) ≈ 5.771216.
    const a = { mean: [0, 0], covariance: [2, 1, 1, 2] };
    const b = { mean: [1, 2], covariance: [1, 0, 0, 4] };
    const expected = 14 - 2 * Math.sqrt(10 + 4 * Math.sqrt(3));
    expect(frechetDistance(a, b)).toBeCloseTo(expected, 12);
    expect(frechetDistance(b, a)).toBeCloseTo(expected, 12);
  });

  it('is (1 − √c)² tr Σ for Σ against cΣ, is 0 for equal Gaussians, and is symmetric, in 84-D', () => {
    const d = 84;
    const sigma = randomCovariance(d, 5);
    const mean = new Float64Array(d);
    let trace = 0;
    for (let i = 0; i < d; i++) trace += sigma[i * d + i]!;
    const scaled = sigma.map((v) => 4 * v);
    // c = 4: (1 − 2)² tr Σ.
    expect(frechetDistance({ mean, covariance: sigma }, { mean, covariance: scaled })).toBeCloseTo(trace, 9);
    expect(Math.abs(frechetDistance({ mean, covariance: sigma }, { mean, covariance: sigma }))).toBeLessThan(1e-10 * trace);
    const other = { mean: createRng(9).normalArray(d), covariance: randomCovariance(d, 6) };
    const ab = frechetDistance({ mean, covariance: sigma }, other);
    const ba = frechetDistance(other, { mean, covariance: sigma });
    expect(ab).toBeGreaterThan(0);
    expect(Math.abs(ab - ba)).toBeLessThan(1e-10 * ab);
  });

  it('tends to the closed form when the moments come from large Gaussian samples', () => {
    // x = μ + L ε with L the Cholesky factor of [[2, 1], [1, 2]] (so Σ₁ = L Lᵀ), y = (1, 2) + diag(1, 2) ε.
    const n = 200_000;
    const rng = createRng(11);
    const ex = rng.fold(0).normalArray(2 * n);
    const ey = rng.fold(1).normalArray(2 * n);
    const l11 = Math.SQRT2;
    const l21 = 1 / Math.SQRT2;
    const l22 = Math.sqrt(1.5);
    const x = new Float64Array(2 * n);
    const y = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = l11 * ex[2 * i]!;
      x[2 * i + 1] = l21 * ex[2 * i]! + l22 * ex[2 * i + 1]!;
      y[2 * i] = 1 + ey[2 * i]!;
      y[2 * i + 1] = 2 + 2 * ey[2 * i + 1]!;
    }
    const expected = 14 - 2 * Math.sqrt(10 + 4 * Math.sqrt(3));
    // Moment estimates from 2·10⁵ points err by O(1/√n) ≈ 0.002 per entry: 0.05 is a wide margin.
    expect(frechetDistance(featureMoments(x, n, 2), featureMoments(y, n, 2))).toBeCloseTo(expected, 1);
    expect(Math.abs(frechetDistance(featureMoments(x, n, 2), featureMoments(y, n, 2)) - expected)).toBeLessThan(0.05);
  });

  it('rejects moments of different dimensions and a covariance of the wrong size', () => {
    expect(() => frechetDistance({ mean: [0, 0], covariance: [1, 0, 0, 1] }, { mean: [0], covariance: [1] })).toThrow(
      /means of dimension 2 and 1, expected the same/,
    );
    expect(() => frechetDistance({ mean: [0, 0], covariance: [1, 0, 0] }, { mean: [0, 0], covariance: [1, 0, 0, 1] })).toThrow(
      /first covariance has 3 entries, expected 2×2 = 4/,
    );
    expect(() => frechetDistance({ mean: [0, 0], covariance: [1, 0, 0, 1] }, { mean: [0, 0], covariance: [1, 2, 0, 1] })).toThrow(
      /second covariance: not symmetric/,
    );
  });
});

describe('featureMoments', () => {
  it('computes the mean and the n − 1 covariance of the rows, and needs two rows', () => {
    // Rows (1, 2), (3, 2), (5, 8): mean (3, 4); deviations (−2, −2), (0, −2), (2, 4);
    // covariance [[8, 12], [12, 24]] / 2.
    const { mean, covariance, count, dim } = featureMoments(Float32Array.from([1, 2, 3, 2, 5, 8]), 3, 2);
    expect([count, dim]).toEqual([3, 2]);
    expect(Array.from(mean)).toEqual([3, 4]);
    expect(Array.from(covariance)).toEqual([4, 6, 6, 12]);
    expect(() => featureMoments([1, 2], 1, 2, 'x')).toThrow(/x: needs at least 2 rows for a covariance, got 1/);
    expect(() => featureMoments([1, 2, 3], 2, 2, 'x')).toThrow(/x: expected 2×2 = 4 values, got 3/);
  });
});
