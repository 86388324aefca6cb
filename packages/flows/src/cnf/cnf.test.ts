import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, createRng, timeMlp, type VectorField } from '@pfm/core';
import { rk4 } from '../integrators/rk4.js';
import { cnfLogProb } from './cnf-log-prob.js';
import { timeMlpDivergence } from './time-mlp-divergence.js';

/** tr ∂v/∂x by reverse-mode autodiff, one coordinate at a time. */
function autodiffDivergence(field: VectorField, t: number, x: tf.Tensor2D): number[] {
  const [n, d] = x.shape;
  const total = new Array<number>(n).fill(0);
  for (let j = 0; j < d; j++) {
    const g = tf.tidy(() => tf.grad((y: tf.Tensor) => tf.sum(tf.slice(field.evaluate(t, y as tf.Tensor2D), [0, j], [n, 1])))(x));
    const col = g.arraySync() as number[][];
    g.dispose();
    col.forEach((row, i) => (total[i]! += row[j]!));
  }
  return total;
}

describe('timeMlpDivergence (forward-mode Jacobian trace of core time-mlp)', () => {
  it.each(ACTIVATIONS.map((a) => [a]))('%s: velocity equals evaluate, trace equals autodiff', (activation) => {
    // Two hidden layers, one, and none (the Jacobian is then W_1[:d] for every point).
    for (const [timeEmbedding, hidden] of [['concat', [8, 8]], ['sinusoidal', [8, 8]], ['concat', [8]], ['concat', []]] as const) {
      const field = timeMlp({ dim: 3, hidden: [...hidden], activation, timeEmbedding, embeddingFrequencies: 2 }, createRng(2));
      const x = tf.tidy(() => tf.mul(createRng(3).normal([5, 3]), 1.5)) as tf.Tensor2D;
      const { velocity, divergence } = timeMlpDivergence(field, 0.37, x);
      const direct = field.evaluate(0.37, x);
      const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(velocity, direct))).dataSync()[0]!);
      expect(gap).toBeLessThan(1e-5);
      const want = autodiffDivergence(field, 0.37, x);
      Array.from(divergence.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
      tf.dispose([x, velocity, divergence, direct]);
      field.dispose();
    }
  });

  it("Hutchinson's estimator is unbiased: the mean over 4000 Rademacher probes matches the trace", () => {
    const field = timeMlp({ dim: 2, hidden: [16], activation: 'tanh' }, createRng(5));
    const point = tf.tensor2d([[0.3, -0.8]]);
    const many = tf.tile(point, [4000, 1]) as tf.Tensor2D;
    const probe = tf.tidy(() => tf.sign(tf.sub(createRng(6).uniform([4000, 2]), 0.5))) as tf.Tensor2D;
    const exact = timeMlpDivergence(field, 0.5, point);
    const est = timeMlpDivergence(field, 0.5, many, probe);
    const mean = tf.tidy(() => tf.mean(est.divergence).dataSync()[0]!);
    const sd = tf.tidy(() => tf.sqrt(tf.moments(est.divergence).variance).dataSync()[0]!);
    // The estimator's standard error is sd/√4000; allow 4 standard errors.
    expect(Math.abs(mean - exact.divergence.dataSync()[0]!)).toBeLessThan((4 * sd) / Math.sqrt(4000) + 1e-6);
    tf.dispose([point, many, probe, exact.velocity, exact.divergence, est.velocity, est.divergence]);
    field.dispose();
  });

  it('refuses a field that is not a time-mlp', () => {
    const other = { dim: 2, variables: [], evaluate: (_t: unknown, x: tf.Tensor2D) => x, toSpec: () => ({ type: 'custom', options: {} }), dispose() {} };
    const x = tf.zeros([1, 2]) as tf.Tensor2D;
    expect(() => timeMlpDivergence(other, 0, x)).toThrow(/needs the velocity to be core's time-mlp, got a "custom" map/);
    x.dispose();
  });
});

describe('cnfLogProb', () => {
  it('the density of a randomly initialised CNF integrates to 1 on a 2-D grid', () => {
    const field = timeMlp({ dim: 2, hidden: [16, 16], activation: 'tanh' }, createRng(8));
    // Midpoint rule over [−7, 7]² with spacing 0.28 (spectrally accurate for smooth, fast-decaying
    // densities); the mass beyond is negligible for this moderate random field, and the rk4 error
    // with 12 steps is ≈ 1e-4, so 1 ± 0.02.
    const k = 50;
    const h = 14 / k;
    const grid: number[] = [];
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) grid.push(-7 + (i + 0.5) * h, -7 + (j + 0.5) * h);
    const x = tf.tensor2d(grid, [k * k, 2]);
    const logp = cnfLogProb(field, x, rk4(), 12);
    const mass = tf.tidy(() => tf.sum(tf.exp(logp)).dataSync()[0]! * h * h);
    expect(Math.abs(mass - 1)).toBeLessThan(0.02);
    // The flow is not the identity: the density differs from N(0, I) somewhere by a clear margin.
    const base = tf.tidy(() => tf.sub(tf.mul(tf.sum(tf.square(x), 1), -0.5), Math.log(2 * Math.PI)));
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.exp(logp), tf.exp(base)))).dataSync()[0]!);
    expect(gap).toBeGreaterThan(0.01);
    tf.dispose([x, logp, base]);
    field.dispose();
  });
});
