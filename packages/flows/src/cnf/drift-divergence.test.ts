import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, timeMlp } from '@pfm/core';
import { driftDivergence } from './drift-divergence.js';
import { timeMlpDivergence } from './time-mlp-divergence.js';

describe('driftDivergence (batched reverse-mode trace of any drift)', () => {
  it('a linear drift x ↦ x A + b has divergence tr A at every point, and the drift is returned as computed', () => {
    const before = tf.memory().numTensors;
    const a = [
      [0.3, -1.2, 0.5],
      [2, -0.7, 0.1],
      [0.4, 0.9, 1.6],
    ];
    const A = tf.tensor2d(a);
    const drift = (t: number, x: tf.Tensor2D) => tf.tidy(() => tf.add(tf.matMul(x, A), t) as tf.Tensor2D);
    const x = tf.tidy(() => createRng(1).normal([7, 3])) as tf.Tensor2D;
    const { drift: f, divergence } = driftDivergence(drift, 0.25, x);
    const direct = drift(0.25, x);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(f, direct))).dataSync()[0]!)).toBe(0);
    expect(divergence.shape).toEqual([7]);
    Array.from(divergence.dataSync()).forEach((v) => expect(v).toBeCloseTo(0.3 - 0.7 + 1.6, 5));
    tf.dispose([A, x, f, divergence, direct]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("equals the forward-mode trace of core's time-mlp (an independent method) for d = 1, 2, 5", () => {
    const before = tf.memory().numTensors;
    for (const dim of [1, 2, 5]) {
      const field = timeMlp({ dim, hidden: [16, 16], activation: 'selu' }, createRng(dim));
      const x = tf.tidy(() => tf.mul(createRng(10 + dim).normal([9, dim]), 1.5)) as tf.Tensor2D;
      const ours = driftDivergence((t, y) => field.evaluate(t, y), 0.6, x);
      const reference = timeMlpDivergence(field, 0.6, x);
      const want = reference.divergence.dataSync();
      Array.from(ours.divergence.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
      tf.dispose([x, ours.drift, ours.divergence, reference.velocity, reference.divergence]);
      field.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("Hutchinson's estimate with k probes is their mean, and is unbiased: 3000 probes land within 4 standard errors", () => {
    const before = tf.memory().numTensors;
    const field = timeMlp({ dim: 3, hidden: [16], activation: 'tanh' }, createRng(4));
    const drift = (t: number, y: tf.Tensor2D) => field.evaluate(t, y);
    const point = tf.tensor2d([[0.3, -0.8, 1.1]]);
    const k = 3000;
    const probes = tf.tidy(() => tf.sign(tf.sub(createRng(6).uniform([k, 3]), 0.5))) as tf.Tensor2D;
    const exact = driftDivergence(drift, 0.5, point);
    const averaged = driftDivergence(drift, 0.5, point, probes);
    // The same probes one point at a time: the estimates whose mean the k-probe call returns.
    const many = tf.tile(point, [k, 1]) as tf.Tensor2D;
    const single = timeMlpDivergence(field, 0.5, many, probes);
    const { mean, variance } = tf.tidy(() => {
      const m = tf.moments(single.divergence);
      return { mean: m.mean.dataSync()[0]!, variance: m.variance.dataSync()[0]! };
    });
    expect(averaged.divergence.dataSync()[0]!).toBeCloseTo(mean, 4);
    expect(Math.abs(mean - exact.divergence.dataSync()[0]!)).toBeLessThan((4 * Math.sqrt(variance)) / Math.sqrt(k) + 1e-6);
    // A Rademacher probe is not exact for this field (the Jacobian has off-diagonal terms).
    expect(variance).toBeGreaterThan(1e-4);
    tf.dispose([point, probes, many, exact.drift, exact.divergence, averaged.drift, averaged.divergence, single.velocity, single.divergence]);
    field.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses probes of the wrong shape and a drift that changes the shape', () => {
    const before = tf.memory().numTensors;
    const x = tf.zeros([4, 2]) as tf.Tensor2D;
    const bad = tf.ones([6, 2]) as tf.Tensor2D;
    expect(() => driftDivergence((_t, y) => y, 0, x, bad)).toThrow('driftDivergence: probes must be [k·4, 2] for k ≥ 1 probes per point, got [6, 2]');
    expect(() => driftDivergence((_t, y) => tf.slice(y, [0, 0], [-1, 1]) as tf.Tensor2D, 0, x)).toThrow(
      'driftDivergence: the drift must map [8, 2] to the same shape, got [8, 1]',
    );
    tf.dispose([x, bad]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
