import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { gaussian } from './gaussian.js';
import { uniform } from './uniform.js';
import { mixture } from './mixture.js';
import { empirical } from './empirical.js';
import { measureFromSampler, pushforward } from './pushforward.js';
import type { Bijector } from '../contracts/map.js';

function moments(x: tf.Tensor2D): { mean: number[]; cov: number[][] } {
  return tf.tidy(() => {
    const n = x.shape[0];
    const mean = tf.mean(x, 0);
    const c = tf.sub(x, mean);
    const cov = tf.div(tf.matMul(c, c, true, false), n - 1);
    return { mean: Array.from(mean.dataSync()), cov: cov.arraySync() as number[][] };
  });
}

describe('gaussian', () => {
  it('samples have the requested mean and full covariance (n = 40,000; 5 standard errors)', () => {
    const g = gaussian({ mean: [1, -2], covariance: [[2, 0.6], [0.6, 0.5]] });
    const x = g.sample(40_000, createRng(1));
    const { mean, cov } = moments(x);
    const se = (v: number) => 5 * Math.sqrt(v / 40_000);
    expect(Math.abs(mean[0]! - 1)).toBeLessThan(se(2));
    expect(Math.abs(mean[1]! + 2)).toBeLessThan(se(0.5));
    expect(cov[0]![0]!).toBeCloseTo(2, 1);
    expect(cov[0]![1]!).toBeCloseTo(0.6, 1);
    expect(cov[1]![1]!).toBeCloseTo(0.5, 1);
    x.dispose();
  });

  it('logProb equals the closed form −½(d log 2π + log det Σ + (x−μ)ᵀΣ⁻¹(x−μ))', () => {
    const g = gaussian({ mean: [1, -2], covariance: [[2, 0.6], [0.6, 0.5]] });
    const det = 2 * 0.5 - 0.36;
    const inv = [[0.5 / det, -0.6 / det], [-0.6 / det, 2 / det]];
    const pts = [[0, 0], [1, -2], [3, 1]];
    const lp = tf.tidy(() => Array.from(g.logProb(tf.tensor2d(pts)).dataSync()));
    pts.forEach((p, i) => {
      const u = [p[0]! - 1, p[1]! + 2];
      const q = u[0]! * (inv[0]![0]! * u[0]! + inv[0]![1]! * u[1]!) + u[1]! * (inv[1]![0]! * u[0]! + inv[1]![1]! * u[1]!);
      expect(lp[i]!).toBeCloseTo(-0.5 * (2 * Math.log(2 * Math.PI) + Math.log(det) + q), 4);
    });
  });

  it('rejects bad parameters with the field named', () => {
    expect(() => gaussian({})).toThrow(/"mean" or a positive integer "dim"/);
    expect(() => gaussian({ dim: 2, std: [1, -1] })).toThrow(/std\[1\] must be positive/);
    expect(() => gaussian({ mean: [0, 0], covariance: [[1, 2], [2, 1]] })).toThrow(/not positive definite/);
    expect(() => gaussian({ mean: [0, 0], covariance: [[1, 0.5], [0, 1]] })).toThrow(/not symmetric/);
  });
});

describe('uniform', () => {
  it('samples lie in the box, logProb is −log volume inside and −∞ outside', () => {
    const u = uniform({ low: [0, -1], high: [2, 1] });
    const x = u.sample(1000, createRng(2));
    const [lo, hi] = tf.tidy(() => [Array.from(tf.min(x, 0).dataSync()), Array.from(tf.max(x, 0).dataSync())]);
    expect(lo![0]!).toBeGreaterThanOrEqual(0);
    expect(hi![1]!).toBeLessThanOrEqual(1);
    const lp = tf.tidy(() => Array.from(u.logProb(tf.tensor2d([[1, 0], [3, 0]])).dataSync()));
    expect(lp[0]!).toBeCloseTo(-Math.log(4), 6);
    expect(lp[1]).toBe(-Infinity);
    x.dispose();
    expect(() => uniform({ low: 1, high: 0 })).toThrow(/low\[0\] < high\[0\]/);
  });
});

describe('mixture', () => {
  it('draws components in proportion to the weights; logProb is the log of the weighted sum', () => {
    const m = mixture([gaussian({ mean: [-5] }), gaussian({ mean: [5] })], [1, 3]);
    const x = m.sample(20_000, createRng(3));
    const right = tf.tidy(() => tf.sum(tf.cast(tf.greater(x, 0), 'float32')).dataSync()[0]!) / 20_000;
    // Binomial(20,000, 3/4): 5 standard errors = 0.015.
    expect(Math.abs(right - 0.75)).toBeLessThan(0.015);
    const lp = tf.tidy(() => m.logProb!(tf.tensor2d([[5]])).dataSync()[0]!);
    const expected = Math.log(0.25 * Math.exp(-50) / Math.sqrt(2 * Math.PI) + (0.75 * 1) / Math.sqrt(2 * Math.PI));
    expect(lp).toBeCloseTo(expected, 5);
    x.dispose();
    expect(() => mixture([gaussian({ dim: 1 }), gaussian({ dim: 2 })])).toThrow(/component 1 has dim 2/);
  });
});

describe('empirical', () => {
  it('samples only data rows; batches cover every row once per pass', () => {
    const e = empirical({ rows: 5, cols: 1, values: Float32Array.from([0, 1, 2, 3, 4]) });
    const s = e.sample(100, createRng(4));
    const vals = new Set(Array.from(s.dataSync()));
    expect([...vals].every((v) => [0, 1, 2, 3, 4].includes(v))).toBe(true);
    s.dispose();
    const seen: number[] = [];
    for (const b of e.batches(2, createRng(5))) {
      seen.push(...Array.from(b.dataSync()));
      b.dispose();
    }
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
    const w = e.sampleWithoutReplacement(5, createRng(6));
    expect(Array.from(w.dataSync()).sort()).toEqual([0, 1, 2, 3, 4]);
    w.dispose();
    expect(() => e.sampleWithoutReplacement(6, createRng(6))).toThrow(/cannot draw 6 distinct rows from 5/);
    e.dispose();
  });
});

describe('pushforward', () => {
  it('applies the map to base samples and gives the change-of-variables density', () => {
    // ψ(z) = 2z + 1 on R: X ~ N(1, 4).
    const bij: Bijector = {
      inputDim: 1,
      outputDim: 1,
      nfe: 1,
      variables: [],
      apply: (z) => tf.tidy(() => tf.add(tf.mul(z, 2), 1)) as tf.Tensor2D,
      forwardAndLogDet: (z) => tf.tidy(() => [tf.add(tf.mul(z, 2), 1) as tf.Tensor2D, tf.fill([z.shape[0]], Math.log(2)) as tf.Tensor1D]),
      inverseAndLogDet: (x) => tf.tidy(() => [tf.div(tf.sub(x, 1), 2) as tf.Tensor2D, tf.fill([x.shape[0]], -Math.log(2)) as tf.Tensor1D]),
      toSpec: () => ({ type: 'affine', options: {} }),
      dispose: () => undefined,
    };
    const p = pushforward(bij, gaussian({ dim: 1 }));
    const target = gaussian({ mean: [1], std: 2 });
    const pts = tf.tensor2d([[-1], [0], [2.5]]);
    const [a, b] = tf.tidy(() => [Array.from(p.logProb!(pts).dataSync()), Array.from(target.logProb(pts).dataSync())]);
    a!.forEach((v, i) => expect(v).toBeCloseTo(b![i]!, 5));
    pts.dispose();
    const x = p.sample(10, createRng(1));
    expect(x.shape).toEqual([10, 1]);
    x.dispose();
  });

  it('measureFromSampler checks the sampler output size', () => {
    const m = measureFromSampler(2, (n) => new Float32Array(n));
    expect(() => m.sample(3, createRng(1))).toThrow(/returned 3 values, expected 3×2/);
  });
});
