// Dequantisation noise: none is the identity, uniform stays in [−σ/2, σ/2), gaussian has std σ.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { dequantize } from './dequantization.js';
import { checkData } from './check-data.js';

describe('dequantize', () => {
  it('adds the requested noise', () => {
    const x = tf.tidy(() => tf.round(tf.mul(createRng(1).uniform([5000, 2]), 10)) as tf.Tensor2D);
    expect(dequantize(x, 'none', 0.5, createRng(2))).toBe(x);
    const u = dequantize(x, 'uniform', 0.5, createRng(2));
    const g = dequantize(x, 'gaussian', 0.5, createRng(2));
    const [lo, hi, uMean] = tf.tidy(() => {
      const d = tf.sub(u, x);
      return [tf.min(d).dataSync()[0]!, tf.max(d).dataSync()[0]!, tf.mean(d).dataSync()[0]!];
    });
    expect(lo).toBeGreaterThanOrEqual(-0.25);
    expect(hi).toBeLessThan(0.25);
    expect(Math.abs(uMean)).toBeLessThan(0.01); // s.e. 0.144/√10000 ≈ 0.0014
    const std = tf.tidy(() => Math.sqrt(tf.moments(tf.sub(g, x)).variance.dataSync()[0]!));
    expect(Math.abs(std - 0.5)).toBeLessThan(0.02); // 10000 draws: relative s.e. ≈ 0.7%
    tf.dispose([x, u, g]);
  });
});

describe('checkData', () => {
  it('names the shape, the dimension or the first non-finite entry', () => {
    const cases: [tf.Tensor, RegExp][] = [
      [tf.zeros([3]), /must be a matrix \[N, d\].*got shape \[3\]/],
      [tf.zeros([0, 2]), /no rows/],
      [tf.zeros([2, 3]), /3 column\(s\), expected dim = 2/],
      [tf.tensor2d([1, 2, 3, NaN], [2, 2]), /row 1, column 1 is NaN/],
    ];
    for (const [t, re] of cases) expect(() => checkData(t, 2, 'test')).toThrow(re);
    tf.dispose(cases.map(([t]) => t));
  });
});
