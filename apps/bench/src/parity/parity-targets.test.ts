// The parity targets follow their stated laws: the mixture's components and weights, the banana's
// moments (a rotation keeps the trace of the covariance), the manifold's mean squared norm.
import { createRng } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { MANIFOLD_NOISE, MIXTURE, mixtureMeans, orthonormalRows, sampleTarget } from './parity-targets.js';

const N = 12_000;

function meanSquaredNorm(x: Float32Array, dim: number): number {
  let s = 0;
  for (const v of x) s += v * v;
  return s / (x.length / dim);
}

describe('parity targets', () => {
  it('orthonormalRows gives Q Qᵀ = I', () => {
    const q = orthonormalRows(3, 7, createRng(1));
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 3; k++) {
        let dot = 0;
        for (let j = 0; j < 7; j++) dot += q[i * 7 + j]! * q[k * 7 + j]!;
        expect(dot).toBeCloseTo(i === k ? 1 : 0, 10);
      }
    }
    expect(() => orthonormalRows(4, 3, createRng(1))).toThrow(/4 rows/);
  });

  it('mixture: six equally weighted components of std 0.3 around fixed means', () => {
    const dim = 4;
    const means = mixtureMeans(dim);
    expect(mixtureMeans(dim)).toEqual(means);
    const x = sampleTarget('mixture', dim, N, createRng(5));
    const counts = new Array<number>(MIXTURE.components).fill(0);
    let squared = 0;
    for (let i = 0; i < N; i++) {
      let best = Infinity;
      let arg = 0;
      for (let k = 0; k < MIXTURE.components; k++) {
        let d2 = 0;
        for (let j = 0; j < dim; j++) d2 += (x[i * dim + j]! - means[k * dim + j]!) ** 2;
        if (d2 < best) [best, arg] = [d2, k];
      }
      counts[arg]! += 1;
      squared += best;
    }
    // Per-coordinate spread around the nearest mean: 0.3 (a few points nearer another mean shift it
    // by less than 2%); each weight 1/6 within 5 binomial standard deviations (0.017).
    expect(Math.sqrt(squared / N / dim)).toBeCloseTo(MIXTURE.std, 1);
    expect(Math.abs(Math.sqrt(squared / N / dim) / MIXTURE.std - 1)).toBeLessThan(0.03);
    for (const c of counts) expect(Math.abs(c / N - 1 / 6)).toBeLessThan(0.017);
  });

  it('banana: mean 0 and trace of the covariance (d/2)(1.5² + 0.5² + 2·0.6²), whatever the rotation', () => {
    for (const dim of [2, 6]) {
      const x = sampleTarget('banana', dim, N, createRng(7));
      const mean = new Array<number>(dim).fill(0);
      for (let i = 0; i < N; i++) for (let j = 0; j < dim; j++) mean[j]! += x[i * dim + j]! / N;
      for (const m of mean) expect(Math.abs(m)).toBeLessThan(0.06);
      // Var(1.5u) = 2.25 and Var(0.5v + 0.6(u² − 1)) = 0.25 + 0.36·Var(u²) = 0.97 per pair.
      expect(meanSquaredNorm(x, dim) / ((dim / 2) * 3.22)).toBeCloseTo(1, 1);
    }
  });

  it('manifold: E‖x‖² = E‖c(s)‖² + d σ² = 11/8 + d·0.05² (the isometry keeps norms)', () => {
    for (const dim of [3, 8, 16]) {
      const x = sampleTarget('manifold', dim, N, createRng(9));
      expect(meanSquaredNorm(x, dim)).toBeCloseTo(11 / 8 + dim * MANIFOLD_NOISE ** 2, 1);
    }
  });

  it('the shape is fixed by (target, d) and the sample by the seed', () => {
    const a = sampleTarget('manifold', 5, 10, createRng(1));
    expect(sampleTarget('manifold', 5, 10, createRng(1))).toEqual(a);
    expect(sampleTarget('manifold', 5, 10, createRng(2))).not.toEqual(a);
    expect(() => sampleTarget('mixture', 1, 10, createRng(1))).toThrow(/dimension must be an integer ≥ 2/);
  });
});
