import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { actNorm } from './act-norm.js';
import { initializeFromData, pullBackInChunks } from './initialize-from-data.js';
import { splineCoupling } from './spline-coupling.js';

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

  it('pulls the data back through a layer in chunks of rows: the rows of one pass, the memory of a chunk', () => {
    const before = tf.memory().numTensors;
    const layer = splineCoupling({ dim: 6, hidden: [16], bins: 5, tailBound: 2, finalScale: 1 }, createRng(4));
    const h = createRng(5).normal([37, 6]) as tf.Tensor2D;
    const [whole, logDet] = layer.inverseAndLogDet(h);
    // 37 rows in chunks of 8: four full chunks and a last one of 5.
    const chunked = pullBackInChunks(layer, h, undefined, 8);
    expect(chunked.shape).toEqual([37, 6]);
    const [a, b] = [whole.dataSync(), chunked.dataSync()];
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 5);
    // At or below the chunk size it is one pass.
    const one = pullBackInChunks(layer, h, undefined, 37);
    expect(Array.from(one.dataSync())).toEqual(Array.from(a));
    tf.dispose([h, whole, logDet, chunked, one]);
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
