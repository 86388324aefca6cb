import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { subsetPolynomialMmd } from './subset-polynomial-mmd.js';

/** The unbiased MMD² with kernel (aᵀb / d + 1)³ by the definition, in float64 (O(n²) loops). */
function directMmd(x: Float32Array, y: Float32Array, n: number, m: number, d: number): number {
  const k = (a: Float32Array, i: number, b: Float32Array, j: number) => {
    let dot = 0;
    for (let c = 0; c < d; c++) dot += a[i * d + c]! * b[j * d + c]!;
    return (dot / d + 1) ** 3;
  };
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) xx += k(x, i, x, j);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) yy += k(y, i, y, j);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) xy += k(x, i, y, j);
  return xx / (n * (n - 1)) + yy / (m * (m - 1)) - (2 * xy) / (n * m);
}

/** Runs `subsetPolynomialMmd` on host arrays and frees the tensors. */
function onArrays(x: Float32Array, y: Float32Array, n: number, m: number, d: number, options = {}) {
  const tx = tf.tensor2d(x, [n, d]);
  const ty = tf.tensor2d(y, [m, d]);
  try {
    return subsetPolynomialMmd(tx, ty, options);
  } finally {
    tf.dispose([tx, ty]);
  }
}

describe('subsetPolynomialMmd', () => {
  it('equals the direct O(n²) unbiased MMD² when a subset is every row (then std is 0)', () => {
    const d = 6;
    const n = 40;
    const rng = createRng(1);
    const x = rng.fold(0).normalArray(n * d);
    const y = rng.fold(1).normalArray(n * d).map((v) => 1.5 * v + 0.3);
    const before = tf.memory().numTensors;
    const result = onArrays(x, y, n, n, d, { subsetSize: 1000, subsets: 5 });
    expect(tf.memory().numTensors).toBe(before);
    const expected = directMmd(x, y, n, n, d);
    expect(result.subsetSize).toBe(n);
    // float32 dot products of 6 terms, float64 kernels and sums: 1e-5 relative.
    expect(result.mean).toBeCloseTo(expected, 4);
    expect(Math.abs(result.mean - expected)).toBeLessThan(1e-5 * Math.abs(expected));
    expect(Array.from(result.values)).toEqual([result.mean, result.mean, result.mean, result.mean, result.mean]);
    expect(result.std).toBe(0);
  });

  it('averages subsets: each value is an unbiased MMD² of m rows of each set, mean and std as numpy', () => {
    const d = 3;
    const rng = createRng(2);
    const x = rng.fold(0).normalArray(50 * d);
    const y = rng.fold(1).normalArray(30 * d).map((v) => v + 1);
    const result = onArrays(x, y, 50, 30, d, { subsetSize: 10, subsets: 20, seed: 4 });
    expect(result.subsetSize).toBe(10);
    expect(result.values).toHaveLength(20);
    const mean = result.values.reduce((s, v) => s + v, 0) / 20;
    expect(result.mean).toBeCloseTo(mean, 12);
    expect(result.std).toBeCloseTo(Math.sqrt(result.values.reduce((s, v) => s + (v - mean) ** 2, 0) / 20), 12);
    // Subsets differ, so the values spread; a mean shift of 1 in 3-D is far from 0.
    expect(result.std).toBeGreaterThan(0);
    expect(result.mean).toBeGreaterThan(0.5);
    // Same seed, same values; the first subsets do not depend on how many are asked for.
    const again = onArrays(x, y, 50, 30, d, { subsetSize: 10, subsets: 5, seed: 4 });
    expect(Array.from(again.values)).toEqual(Array.from(result.values.subarray(0, 5)));
    const other = onArrays(x, y, 50, 30, d, { subsetSize: 10, subsets: 5, seed: 5 });
    expect(Array.from(other.values)).not.toEqual(Array.from(again.values));
  });

  it('is unbiased: over many pairs of samples of one law its mean is 0 within 3 standard errors', () => {
    // x, y ~ N(0, I₄), 8 points each. The biased (V-statistic) estimator would average
    // 2 (E k(x, x) − E k(x, x′)) / 8 = 2 (11.5 − 1.75) / 8 ≈ 2.4 here, far outside the band.
    const d = 4;
    const m = 8;
    const repeats = 400;
    const values: number[] = [];
    const rng = createRng(3);
    const before = tf.memory().numTensors;
    for (let r = 0; r < repeats; r++) {
      const stream = rng.fold(r);
      values.push(onArrays(stream.fold(0).normalArray(m * d), stream.fold(1).normalArray(m * d), m, m, d, { subsets: 1 }).mean);
    }
    expect(tf.memory().numTensors).toBe(before);
    const mean = values.reduce((s, v) => s + v, 0) / repeats;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (repeats - 1));
    const standardError = std / Math.sqrt(repeats);
    expect(Math.abs(mean)).toBeLessThan(3 * standardError);
    expect(3 * standardError).toBeLessThan(1);
  });

  it('rejects mismatched dimensions, too few rows and bad options, naming them', () => {
    const a = tf.zeros([5, 3]) as tf.Tensor2D;
    const b = tf.zeros([5, 2]) as tf.Tensor2D;
    const one = tf.zeros([1, 3]) as tf.Tensor2D;
    try {
      expect(() => subsetPolynomialMmd(a, b)).toThrow(/x \[5, 3\] and y \[5, 2\] must be \[n, d\] and \[m, d\] with the same d/);
      expect(() => subsetPolynomialMmd(one, a)).toThrow(/x has 1 row\(s\), expected at least 2/);
      expect(() => subsetPolynomialMmd(a, one)).toThrow(/y has 1 row\(s\), expected at least 2/);
      expect(() => subsetPolynomialMmd(a, a, { subsetSize: 1 })).toThrow(/subsetSize is 1, expected an integer ≥ 2/);
      expect(() => subsetPolynomialMmd(a, a, { subsets: 0 })).toThrow(/subsets is 0, expected a positive integer/);
      expect(() => subsetPolynomialMmd(a, a, { seed: 0.5 })).toThrow(/seed is 0.5, expected an integer/);
    } finally {
      tf.dispose([a, b, one]);
    }
  });
});
