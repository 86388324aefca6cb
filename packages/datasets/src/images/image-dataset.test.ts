import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';
import { describe, expect, it } from 'vitest';
import { imageDataset } from './image-dataset.js';

describe('imageDataset', () => {
  it('is the empirical measure of the rows, with the shape and labels of the images', () => {
    const before = tf.memory().numTensors;
    const values = Float32Array.from({ length: 12 }, (_, i) => i);
    const images = imageDataset({ rows: 3, cols: 4, values, shape: [2, 2, 1], labels: Int32Array.from([7, 1, 7]) });
    expect([images.size, images.dim, images.eventShape, Array.from(images.labels!)]).toEqual([3, 4, [2, 2, 1], [7, 1, 7]]);
    expect(Object.isFrozen(images.eventShape)).toBe(true);
    const drawn = images.sample(6, createRng(1));
    const rows = drawn.arraySync();
    for (const row of rows) expect(row[0]! % 4).toBe(0); // every drawn row is one of the three images
    expect(new Set(rows.map((r) => r[0])).size).toBeGreaterThan(1);
    drawn.dispose();
    images.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a shape that does not describe the rows and labels that do not match the images', () => {
    const before = tf.memory().numTensors;
    const values = new Float32Array(12);
    expect(() => imageDataset({ rows: 3, cols: 4, values, shape: [2, 3, 1] }, 'd.npy')).toThrow(
      'd.npy: shape [2,3,1] does not describe rows of 4 values (expected [h, w, c] with h·w·c = 4)',
    );
    expect(() => imageDataset({ rows: 3, cols: 4, values, shape: [4] }, 'd.npy')).toThrow(/shape \[4\] does not describe rows of 4 values/);
    expect(() => imageDataset({ rows: 3, cols: 4, values, shape: [2, 2, 1], labels: new Int32Array(2) }, 'd.npy')).toThrow(
      'd.npy: 2 labels for 3 images (expected one Int32 label per image)',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
