import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { actNorm } from './act-norm.js';
import { initializeFromData } from './initialize-from-data.js';

describe('initializeFromData', () => {
  it('initialises from evenly strided rows above maxRows, so a sorted file is still seen whole', () => {
    // Rows sorted by value: 0, 1, …, 999 in one column. The first 10 rows alone would give a
    // mean of 4.5; the strided rows 0, 100, …, 900 give the whole range's mean 450.
    const x = tf.tidy(() => tf.reshape(tf.range(0, 1000), [1000, 1]) as tf.Tensor2D);
    const strided = actNorm({ dim: 1 });
    initializeFromData(strided, x, 10);
    const reference = actNorm({ dim: 1 });
    const rows = tf.tensor2d([0, 100, 200, 300, 400, 500, 600, 700, 800, 900], [10, 1]);
    reference.initialize(rows);
    const [a, b] = [strided, reference].map((layer) => layer.variables.map((v) => Array.from(v.dataSync())));
    expect(a).toEqual(b);
    expect(b![1]![0]).toBeCloseTo(450, 3); // the shift is the mean of the strided rows
    // At or below maxRows every row is used.
    const whole = actNorm({ dim: 1 });
    initializeFromData(whole, x, 1000);
    expect(whole.variables[1]!.dataSync()[0]).toBeCloseTo(499.5, 3);
    tf.dispose([x, rows]);
    for (const layer of [strided, reference, whole]) layer.dispose();
  });
});
