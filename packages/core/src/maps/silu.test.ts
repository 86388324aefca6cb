import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { silu } from './silu.js';

// float32 against float64 on the host: 1e-3 relative with an absolute floor near 0, as the backend
// conformance suites.
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tolerance = 1e-5 + 1e-3 * Math.abs(expected[i]!);
    if (!(Math.abs(actual[i]! - expected[i]!) <= tolerance)) {
      throw new Error(`${what}[${i}] at x: ${actual[i]} differs from ${expected[i]} by more than ${tolerance}`);
    }
  }
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe('silu', () => {
  // Both tails and the region around 0, where σ′ is largest.
  const points = [-30, -12, -4, -1.5, -0.3, 0, 1e-3, 0.7, 2, 5, 11, 30];

  it('computes x·σ(x) with the same kernels as before (bit for bit) and its derivative in closed form', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.concat([tf.tensor1d(points), createRng(1).normal([200])]);
      expect(Array.from(silu(x).dataSync())).toEqual(Array.from(tf.mul(x, tf.sigmoid(x)).dataSync()));
      const w = createRng(2).normal([x.size]);
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(silu(a), w)))(x);
      const xs = x.dataSync();
      const ws = w.dataSync();
      const expected = Array.from(xs, (v, i) => ws[i]! * sigmoid(v) * (1 + v * (1 - sigmoid(v))));
      expectClose(dx.dataSync(), expected, 'dx');
      const autodiff = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.mul(a, tf.sigmoid(a)), w)))(x);
      expectClose(dx.dataSync(), autodiff.dataSync(), 'dx against autodiff');
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the second derivative σ′(x)(2 + x(1 − 2σ(x))) inside a nested gradient', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor1d(points);
      const second = tf.grad((a: tf.Tensor) => tf.sum(tf.grad((b: tf.Tensor) => tf.sum(silu(b)))(a)))(x);
      const expected = points.map((v) => sigmoid(v) * (1 - sigmoid(v)) * (2 + v * (1 - 2 * sigmoid(v))));
      expectClose(second.dataSync(), expected, 'd²/dx²');
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs fewer kernels for a gradient than autodiff of x·σ(x)', async () => {
    const before = tf.memory().numTensors;
    const x = createRng(3).normal([64, 32]);
    const kernels = async (f: (a: tf.Tensor) => tf.Tensor) =>
      (await tf.profile(() => {
        tf.tidy(() => {
          tf.grad((a: tf.Tensor) => tf.sum(f(a)))(x);
        });
      })).kernels.length;
    const fast = await kernels(silu);
    const composed = await kernels((a) => tf.mul(a, tf.sigmoid(a)));
    expect(fast).toBeLessThan(composed);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
