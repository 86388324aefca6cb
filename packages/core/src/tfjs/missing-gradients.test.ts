import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../backend/use-backend.js';

/** Central finite difference of the scalar f along every coordinate of x (float64 host math on f's outputs). */
function numericGrad(f: (x: tf.Tensor) => tf.Tensor, x: number[], shape: number[], h = 1e-2): number[] {
  return x.map((_, i) => {
    const plus = x.slice();
    const minus = x.slice();
    plus[i]! += h;
    minus[i]! -= h;
    const fp = tf.tidy(() => f(tf.tensor(plus, shape)).dataSync()[0]!);
    const fm = tf.tidy(() => f(tf.tensor(minus, shape)).dataSync()[0]!);
    return (fp - fm) / (2 * h);
  });
}

function expectGradMatches(f: (x: tf.Tensor) => tf.Tensor, x: number[], shape: number[]): void {
  const analytic = tf.tidy(() => Array.from(tf.grad(f)(tf.tensor(x, shape)).dataSync()));
  const numeric = numericGrad(f, x, shape);
  analytic.forEach((a, i) => expect(a).toBeCloseTo(numeric[i]!, 2));
}

describe('gradients tfjs 4.22 lacks', () => {
  const w = [0.3, -1.2, 2.0, 0.7, 1.1, -0.4];
  it('TopK: d/dx Σ w·topk(x).values scatters the weights to the chosen positions', () => {
    const x = [0.5, 3, -1, 2, 7, 1.5, 0.1, -2, 4, 0.2, 0.3, 5];
    const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.topk(t as tf.Tensor2D, 3).values, tf.tensor2d(w, [2, 3])));
    const g = tf.tidy(() => tf.grad(f)(tf.tensor2d(x, [2, 6])).arraySync());
    // Row 0: top 3 are 7 (index 4), 3 (1), 2 (3); row 1: 5 (11), 4 (8), 0.3 (10).
    const rows = g as number[][];
    expect(rows[0]).toEqual([0, -1.2, 0, 2.0, 0.3, 0].map((v) => Math.fround(v)));
    expect(rows[1]![11 - 6]).toBeCloseTo(0.7, 6);
    expect(rows[1]![8 - 6]).toBeCloseTo(1.1, 6);
    expect(rows[1]![10 - 6]).toBeCloseTo(-0.4, 6);
    expectGradMatches(f, x, [2, 6]);
  });

  it('StridedSlice: the gradient scatters back to the positions the slice read (strides, masks)', () => {
    const x = Array.from({ length: 24 }, (_, i) => Math.sin(i + 1));
    const f = (t: tf.Tensor) =>
      tf.sum(tf.mul(tf.square(tf.stridedSlice(t, [0, 1, 0], [4, 6, 2], [2, 2, 1], 0, 0, 0, 0, 0)), 1.5));
    expectGradMatches(f, x, [4, 6, 1]);
    const g = (t: tf.Tensor) => tf.sum(tf.stridedSlice(t, [1], [0], [1], 0, 2, 0, 0, 1));
    expectGradMatches(g, x.slice(0, 6), [6]);
  });

  it('Cumprod: matches finite differences, forward and reverse, exclusive or not', () => {
    const x = [0.5, 1.5, -0.8, 1.2, 0.9];
    for (const [exclusive, reverse] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.cumprod(t, 0, exclusive, reverse), tf.tensor1d([1, -2, 0.5, 3, 1])));
      expectGradMatches(f, x, [5]);
    }
  });

  it('second-order gradients pass through selu and comparisons (their gradient is zero)', () => {
    // d/dx of (d/dx Σ selu(x))² — selu's derivative uses a comparison.
    const x = [-1.5, -0.2, 0.3, 2];
    const f = (t: tf.Tensor) => tf.sum(tf.square(tf.grad((u: tf.Tensor) => tf.sum(tf.selu(u)))(t)));
    expectGradMatches(f, x, [4]);
    const g = tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.where(tf.less(t, 0), tf.mul(t, 2), t)))(tf.tensor1d(x)).dataSync()));
    expect(g).toEqual([2, 2, 1, 1]);
  });

  it('useBackend reports a provider that did not activate its backend', async () => {
    const active = tf.getBackend();
    await expect(useBackend({ name: 'webgpu', init: async () => undefined })).rejects.toThrow(
      `useBackend: asked for "webgpu" but tfjs is running "${active}"`,
    );
  });
});
