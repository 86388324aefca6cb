import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { rowsInChunks } from './rows-in-chunks.js';

// A row-wise map gives the same rows whatever the chunk, each chunk sees the matching condition
// rows, and a chunk that comes back with the wrong shape is refused without leaking.

/** x ↦ 2x + c (c broadcast over columns, rank 1 or the row sum of rank 2): row-wise and condition-aware. */
function rowMap(x: tf.Tensor2D, c: tf.Tensor | undefined): tf.Tensor2D {
  const shift = c === undefined ? tf.scalar(0) : c.rank === 1 ? tf.expandDims(c, 1) : tf.sum(c, 1, true);
  return tf.add(tf.mul(x, 2), shift);
}

describe('rowsInChunks', () => {
  it('gives one pass\'s rows for every chunk size, with the condition sliced alongside (rank 1 and 2)', () => {
    const before = tf.memory().numTensors;
    const rng = createRng(3);
    const rows = rng.normal([23, 3]) as tf.Tensor2D;
    const labels = tf.range(0, 23, 1, 'float32');
    const features = rng.fold(1).normal([23, 4]);
    for (const condition of [undefined, labels, features]) {
      const whole = tf.tidy(() => rowMap(rows, condition));
      const want = whole.dataSync();
      for (const chunk of [1, 5, 7, 22, 23, 100]) {
        const got = rowsInChunks(rows, condition, chunk, rowMap);
        expect(got.shape).toEqual([23, 3]);
        expect(Array.from(got.dataSync())).toEqual(Array.from(want));
        got.dispose();
      }
      whole.dispose();
    }
    tf.dispose([rows, labels, features]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a chunk of the wrong shape, naming it, and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const rows = tf.ones([10, 2]) as tf.Tensor2D;
    expect(() => rowsInChunks(rows, undefined, 4, (x) => tf.concat([x, x], 1) as tf.Tensor2D)).toThrow('a chunk of 4 rows of 2 values came back as [4, 4]');
    rows.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
