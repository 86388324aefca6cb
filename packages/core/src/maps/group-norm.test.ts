import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/rng.js';
import { groupNorm } from './group-norm.js';
import { groupNormComposed } from './group-norm-composed.js';
import type { GroupNormOptions } from './group-norm-options.js';

// float32 against float32 (or float64) arithmetic in another order: 1e-3 relative, as the
// backend conformance suites, with an absolute floor for values near 0.
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tolerance = 1e-4 + 1e-3 * Math.abs(expected[i]!);
    if (!(Math.abs(actual[i]! - expected[i]!) <= tolerance)) {
      throw new Error(`${what}[${i}]: ${actual[i]} differs from ${expected[i]} by more than ${tolerance}`);
    }
  }
}

type Norm = (x: tf.Tensor4D, options: GroupNormOptions) => tf.Tensor4D;

/** y and the gradients of Σ w·y with respect to x, γ and β (w a fixed random weighting). */
function valueAndGradients(norm: Norm, shape: [number, number, number, number], groups: number, seed: number) {
  return tf.tidy(() => {
    const rng = createRng(seed);
    const x = tf.add(tf.mul(rng.fold(0).normal(shape), 3), 1.5) as tf.Tensor4D;
    const scale = tf.add(rng.fold(1).normal([shape[3]]), 1);
    const shift = rng.fold(2).normal([shape[3]]);
    const w = rng.fold(3).normal(shape);
    const y = norm(x, { scale, shift, groups });
    const grads = tf.grads((a: tf.Tensor, s: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(norm(a as tf.Tensor4D, { scale: s, shift: b, groups }), w)))([x, scale, shift]);
    return { x: x.dataSync(), y: y.dataSync(), grads: grads.map((g) => g.dataSync()) };
  });
}

describe('groupNorm', () => {
  const cases: { shape: [number, number, number, number]; groups: number }[] = [
    { shape: [2, 5, 3, 8], groups: 4 },
    { shape: [3, 4, 4, 6], groups: 3 },
    { shape: [2, 3, 2, 6], groups: 1 },
    { shape: [2, 7, 7, 4], groups: 4 },
  ];

  it('normalises each group of each sample: the definition in float64 on the host', () => {
    const before = tf.memory().numTensors;
    const [n, h, w, c] = [2, 3, 4, 6];
    const groups = 3;
    const per = c / groups;
    const { x, y } = valueAndGradients(groupNorm, [n, h, w, c], groups, 11);
    const { scale, shift } = tf.tidy(() => {
      const rng = createRng(11);
      return { scale: tf.add(rng.fold(1).normal([c]), 1).dataSync(), shift: rng.fold(2).normal([c]).dataSync() };
    });
    const expected = new Float64Array(x.length);
    for (let s = 0; s < n; s++) {
      for (let g = 0; g < groups; g++) {
        const at: number[] = [];
        for (let p = 0; p < h * w; p++) for (let k = 0; k < per; k++) at.push(s * h * w * c + p * c + g * per + k);
        const mean = at.reduce((sum, i) => sum + x[i]!, 0) / at.length;
        const variance = at.reduce((sum, i) => sum + (x[i]! - mean) ** 2, 0) / at.length;
        for (const i of at) expected[i] = (scale[i % c]! * (x[i]! - mean)) / Math.sqrt(variance + 1e-5) + shift[i % c]!;
      }
    }
    expectClose(y, expected, 'y');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the values and gradients (x, γ, β) of the composed form differentiated by autodiff', () => {
    const before = tf.memory().numTensors;
    cases.forEach(({ shape, groups }, i) => {
      const fast = valueAndGradients(groupNorm, shape, groups, 20 + i);
      const reference = valueAndGradients(groupNormComposed, shape, groups, 20 + i);
      const label = `[${shape.join(', ')}] in ${groups} groups`;
      expectClose(fast.y, reference.y, `${label}: y`);
      ['dx', 'dγ', 'dβ'].forEach((name, k) => expectClose(fast.grads[k]!, reference.grads[k]!, `${label}: ${name}`));
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps second derivatives right inside a nested gradient: a penalty on ‖∇ₓ‖² against finite differences', () => {
    const before = tf.memory().numTensors;
    const shape: [number, number, number, number] = [2, 3, 3, 4];
    const rng = createRng(31);
    const x = rng.fold(0).normal(shape) as tf.Tensor4D;
    const w = rng.fold(3).normal(shape);
    const scale0 = tf.tidy(() => Array.from(tf.add(rng.fold(1).normal([4]), 1).dataSync()));
    const shift0 = tf.tidy(() => Array.from(rng.fold(2).normal([4]).dataSync()));
    const gain0 = tf.tidy(() => Array.from(tf.add(tf.mul(rng.fold(4).normal([4]), 0.3), 1).dataSync()));
    // P(γ, β, a) = ‖∇ₓ Σ w·y²‖², y = groupNorm(a ⊙ x; γ, β): ∇ₓ depends on γ and β through y, and
    // on a (a layer below the norm, as a critic's weights) also through the group statistics.
    const penalty = (scale: tf.Tensor, shift: tf.Tensor, gain: tf.Tensor) => {
      const gx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.square(groupNorm(tf.mul(v, gain) as tf.Tensor4D, { scale, shift, groups: 2 })), w)))(x);
      return tf.sum(tf.square(gx)) as tf.Scalar;
    };
    const start = [scale0, shift0, gain0];
    const analytic = tf.tidy(() => tf.grads((s: tf.Tensor, b: tf.Tensor, a: tf.Tensor) => penalty(s, b, a))(start.map((v) => tf.tensor1d(v))).map((g) => Array.from(g.dataSync())));
    // Central differences of P, whose inner gradient is first order (the closed form).
    const step = 1e-2;
    const numeric = start.map((values, which) =>
      values.map((_, j) => {
        const at = (delta: number) =>
          tf.tidy(() => {
            const args = start.map((v, k) => (k === which ? v.map((value, i) => (i === j ? value + delta : value)) : v));
            return penalty(tf.tensor1d(args[0]!), tf.tensor1d(args[1]!), tf.tensor1d(args[2]!)).dataSync()[0]!;
          });
        return (at(step) - at(-step)) / (2 * step);
      }),
    );
    ['dP/dγ', 'dP/dβ', 'dP/da'].forEach((name, k) => {
      const largest = Math.max(...numeric[k]!.map(Math.abs));
      expect(largest).toBeGreaterThan(1e-2);
      // float32 differences over a step of 1e-2: within 2% of the largest entry.
      analytic[k]!.forEach((a, j) => expect(Math.abs(a - numeric[k]![j]!), `${name}[${j}]`).toBeLessThan(0.02 * largest));
    });
    tf.dispose([x, w]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs fewer kernels for a training step than the composed form', async () => {
    const before = tf.memory().numTensors;
    const kernels = async (norm: Norm) => {
      const rng = createRng(40);
      // x is trained too: inside a network the gradient flows on to the layers below.
      const [x, scale, shift] = tf.tidy(() => [tf.variable(rng.fold(0).normal([2, 4, 4, 8])), tf.variable(tf.ones([8])), tf.variable(tf.zeros([8]))]);
      const info = await tf.profile(() => {
        tf.tidy(() => {
          tf.variableGrads(() => tf.sum(tf.square(norm(x as tf.Tensor4D, { scale, shift, groups: 4 }))) as tf.Scalar, [x, scale, shift]);
        });
      });
      tf.dispose([x, scale, shift]);
      return info.kernels.length;
    };
    const fast = await kernels(groupNorm);
    const composed = await kernels(groupNormComposed);
    // At the time of writing 50 against 90 kernel calls (the loss's own included).
    expect(fast).toBeLessThan(composed - 20);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the field, the value and what was expected for bad input', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.zeros([2, 3, 3, 6]) as tf.Tensor4D;
      const scale = tf.ones([6]);
      const shift = tf.zeros([6]);
      expect(() => groupNorm(x, { scale, shift, groups: 4 })).toThrow('groupNorm: groups must be a positive divisor of the 6 channels of x, got 4');
      expect(() => groupNorm(x, { scale, shift, groups: 0 })).toThrow(/groups must be a positive divisor .* got 0/);
      expect(() => groupNorm(x, { scale: tf.ones([3]), shift, groups: 3 })).toThrow('groupNorm: scale must be [6] (one value per channel of x), got [3]');
      expect(() => groupNorm(x, { scale, shift: tf.zeros([6, 1]), groups: 3 })).toThrow('groupNorm: shift must be [6] (one value per channel of x), got [6, 1]');
      expect(() => groupNorm(tf.zeros([3, 6]) as unknown as tf.Tensor4D, { scale, shift, groups: 3 })).toThrow('groupNorm: x must be [n, h, w, c], got [3, 6]');
      expect(() => groupNorm(x, { scale, shift, groups: 3, epsilon: 0 })).toThrow('groupNorm: epsilon must be positive, got 0');
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
