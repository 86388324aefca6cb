import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng, type ConditionBatch, type PushforwardMap, type Rng } from '@pfm/core';
import { perClassDiscrepancy, type PointDiscrepancy } from './per-class-discrepancy.js';

/** φ(z | c) = z + c: a conditional generator whose output says which class it was asked for; records each call. */
function shiftByLabel(calls: { rows: number; labels: number[] }[]): PushforwardMap {
  return {
    inputDim: 2,
    outputDim: 2,
    condition: { kind: 'class', classes: 4 },
    apply(z: tf.Tensor2D, condition?: ConditionBatch) {
      const labels = Array.from(condition!.values.dataSync());
      calls.push({ rows: z.shape[0], labels });
      return tf.add(z, tf.cast(tf.reshape(condition!.values, [-1, 1]), 'float32')) as tf.Tensor2D;
    },
    variables: [],
    nfe: 1,
    toSpec: () => ({ type: 'shift-by-label', options: {} }),
    dispose: () => {},
  };
}

/** D(x, y) = ‖mean(x) − mean(y)‖²: enough to tell which points were compared. */
const meanGap: PointDiscrepancy = (x, y) => tf.sum(tf.square(tf.sub(tf.mean(x, 0), tf.mean(y, 0)))) as tf.Scalar;
const normal = (m: number, rng: Rng) => rng.normal([m, 2]) as tf.Tensor2D;

describe('perClassDiscrepancy', () => {
  it('is Σ_c (n_c / n) D(φ(z | c), x_c) over classes with 2 points or more, in increasing label order, class c drawing from rng.fold(c)', () => {
    const before = tf.memory().numTensors;
    // First seen: class 2, then 0, then 1 (a single point: left out of the step).
    const batch = tf.tensor2d([
      [1, 0],
      [5, 5],
      [3, 2],
      [-1, 4],
      [6, 7],
      [9, 9],
    ]);
    const labels = tf.tensor1d([2, 0, 2, 1, 0, 0], 'int32');
    const rng = createRng(4);
    const calls: { rows: number; labels: number[] }[] = [];
    const value = tf.tidy(() => perClassDiscrepancy({ generator: shiftByLabel(calls), discrepancy: meanGap, batch, labels, noise: normal, generatedPerData: 1, rng }).dataSync()[0]!);
    expect(calls).toEqual([
      { rows: 3, labels: [0, 0, 0] },
      { rows: 2, labels: [2, 2] },
    ]);
    const expected = tf.tidy(() => {
      const term = (c: number, rows: number[]) =>
        tf.mul(meanGap(tf.add(normal(rows.length, rng.fold(c)), c) as tf.Tensor2D, tf.gather(batch, rows) as tf.Tensor2D), rows.length / 6);
      return tf.add(term(0, [1, 4, 5]), term(2, [0, 2])).dataSync()[0]!;
    });
    expect(value).toBe(expected);
    tf.dispose([batch, labels]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('draws round(n_c · generatedPerData) points for class c, at least 2', () => {
    const before = tf.memory().numTensors;
    const batch = tf.zeros([5, 2]) as tf.Tensor2D;
    const labels = tf.tensor1d([1, 1, 1, 3, 3], 'int32');
    for (const [generatedPerData, rows] of [
      [0.5, [2, 2]],
      [2, [6, 4]],
    ] as const) {
      const calls: { rows: number; labels: number[] }[] = [];
      tf.tidy(() => {
        perClassDiscrepancy({ generator: shiftByLabel(calls), discrepancy: meanGap, batch, labels, noise: normal, generatedPerData, rng: createRng(0) });
      });
      expect(calls.map((c) => c.rows)).toEqual(rows);
    }
    tf.dispose([batch, labels]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a batch where no class has 2 points and a non-integer label, naming `where`', () => {
    const before = tf.memory().numTensors;
    const batch = tf.zeros([3, 2]) as tf.Tensor2D;
    const singles = tf.tensor1d([0, 1, 2], 'int32');
    const fractional = tf.tensor1d([0, 0.5, 0]);
    const options = { generator: shiftByLabel([]), discrepancy: meanGap, batch, noise: normal, generatedPerData: 1, rng: createRng(0) };
    expect(() => tf.tidy(() => perClassDiscrepancy({ ...options, labels: singles, where: 'curriculum' }))).toThrow(
      'curriculum: no class has 2 points in this batch of 3; use a larger batchSize',
    );
    expect(() => tf.tidy(() => perClassDiscrepancy({ ...options, labels: singles }))).toThrow('conditional statistics matching: no class has 2 points in this batch of 3');
    expect(() => tf.tidy(() => perClassDiscrepancy({ ...options, labels: fractional, where: 'curriculum' }))).toThrow(
      'curriculum: batch labels: label 0.5 at row 1 is not an integer class label',
    );
    tf.dispose([batch, singles, fractional]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
