import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { SELECTION_MATRIX_MAX, selectColumns, selectionMatrix, takeColumns } from './take-columns.js';

/** The selection by a 0/1 matrix, the route of narrow matrices, at any width: the reference. */
function byMatrix(x: tf.Tensor2D, indices: number[]): tf.Tensor2D {
  return tf.matMul(x, tf.tensor2d(selectionMatrix(x.shape[1], indices), [x.shape[1], indices.length]));
}

describe('selectColumns / takeColumns', () => {
  it('gathers wide matrices with the values and gradients of the 0/1 selection matrix', () => {
    const before = tf.memory().numTensors;
    const rng = createRng(3);
    const c = 100;
    const cases: number[][] = [
      Array.from(rng.permutation(c)), // a permutation: every column, reordered
      Array.from(rng.permutation(c)).slice(0, 57), // a subset: the other columns get zero gradient
      Array.from({ length: 50 }, (_, j) => 2 * j + 1), // the odd columns
    ];
    for (const indices of cases) {
      expect(c * indices.length).toBeGreaterThan(SELECTION_MATRIX_MAX);
      tf.tidy(() => {
        const x = rng.normal([7, c]) as tf.Tensor2D;
        const w = rng.normal([7, indices.length]);
        const f = (route: (t: tf.Tensor2D) => tf.Tensor2D) => (t: tf.Tensor) => tf.sum(tf.mul(tf.sin(route(t as tf.Tensor2D)), w));
        expect(Array.from(selectColumns(x, indices).dataSync())).toEqual(Array.from(byMatrix(x, indices).dataSync()));
        const gather = tf.grad(f((t) => selectColumns(t, indices)))(x);
        const matrix = tf.grad(f((t) => byMatrix(t, indices)))(x);
        expect(Array.from(gather.dataSync())).toEqual(Array.from(matrix.dataSync()));
      });
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes contiguous columns by a slice when wide, with the same values and gradient', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = createRng(4).normal([5, 300]) as tf.Tensor2D;
      const cols = Array.from({ length: 120 }, (_, j) => 90 + j);
      expect(Array.from(takeColumns(x, 90, 120).dataSync())).toEqual(Array.from(byMatrix(x, cols).dataSync()));
      const g = (route: (t: tf.Tensor2D) => tf.Tensor2D) => tf.grad((t: tf.Tensor) => tf.sum(tf.square(route(t as tf.Tensor2D))))(x);
      expect(Array.from(g((t) => takeColumns(t, 90, 120)).dataSync())).toEqual(Array.from(g((t) => byMatrix(t, cols)).dataSync()));
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses repeated or out-of-range indices, naming the position', () => {
    const x = tf.zeros([2, 100]) as tf.Tensor2D;
    const repeated = [...Array.from({ length: 60 }, (_, j) => j), 3];
    expect(() => selectColumns(x, repeated)).toThrow('selectColumns: indices must be distinct integers in [0, 100), got 3 at position 60');
    expect(() => selectColumns(x, [...Array.from({ length: 60 }, (_, j) => j), 100])).toThrow('got 100 at position 60');
    x.dispose();
  });
});
