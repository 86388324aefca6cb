import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { cpu } from '../backend/cpu.js';

/** n numbers in [−1, 1) from a fixed linear congruential stream (the test needs no better law). */
function values(n: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

// The gradient is the adjoint of the forward map: ⟨resize(x), dy⟩ = ⟨x, grad(dy)⟩ for every x, dy.
// The stock tfjs kernel breaks this for every image after the first of a batch.
const CASES: { shape: [number, number, number, number]; size: [number, number]; alignCorners: boolean; halfPixelCenters: boolean }[] = [
  { shape: [3, 7, 7, 2], size: [14, 14], alignCorners: false, halfPixelCenters: false },
  { shape: [2, 5, 6, 3], size: [12, 9], alignCorners: true, halfPixelCenters: false },
  { shape: [4, 6, 5, 1], size: [13, 11], alignCorners: false, halfPixelCenters: true },
  { shape: [2, 9, 8, 2], size: [4, 5], alignCorners: false, halfPixelCenters: false },
];

describe('cpu ResizeNearestNeighborGrad', () => {
  it('is the adjoint of resizeNearestNeighbor, batch by batch, for up- and down-sampling', async () => {
    const projectBackend = tf.getBackend();
    await cpu().init();
    expect(tf.getBackend()).toBe('cpu');
    const before = tf.memory().numTensors;
    CASES.forEach(({ shape, size, alignCorners, halfPixelCenters }, k) => tf.tidy(() => {
      const [b, , , c] = shape;
      const x = tf.tensor4d(values(shape.reduce((p, q) => p * q, 1), 40 + k), shape);
      const dy = tf.tensor4d(values(b * size[0] * size[1] * c, 80 + k), [b, size[0], size[1], c]);
      const forward = (t: tf.Tensor) => tf.image.resizeNearestNeighbor(t as tf.Tensor4D, size, alignCorners, halfPixelCenters);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(forward(t), dy)))(x);
      const lhs = tf.sum(tf.mul(forward(x), dy)).dataSync()[0]!;
      const rhs = tf.sum(tf.mul(x, grad)).dataSync()[0]!;
      expect(Math.abs(lhs - rhs), `case ${k}`).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
      // Per image too: the gradient of image i only sees dy of image i.
      const perImage = tf.sum(tf.mul(forward(x), dy), [1, 2, 3]).dataSync();
      const perImageGrad = tf.sum(tf.mul(x, grad), [1, 2, 3]).dataSync();
      perImage.forEach((v, i) => expect(Math.abs(v - perImageGrad[i]!), `case ${k} image ${i}`).toBeLessThan(1e-4 * (1 + Math.abs(v))));
    }));
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend(projectBackend);
  });
});
