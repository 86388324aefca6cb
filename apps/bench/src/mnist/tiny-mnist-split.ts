// Test support (not part of the bench's runs): a few MNIST digits as a split, so the track's smoke
// tests run in seconds.
import * as tf from '@tensorflow/tfjs-core';
import { readMnist } from '@pfm/datasets/node';
import { spacedRows, type MnistSplit } from './mnist-split.js';

/**
 * `train + test` evenly spaced digits of the MNIST test split (so every class is present): the
 * first `train` rows as training digits with their labels, the rest as test digits. The caller
 * disposes `split.train` and `split.test`.
 */
export function tinyMnistSplit(train: number, test: number): MnistSplit {
  const digits = readMnist({ split: 'test' });
  const rows = spacedRows(digits.rows, train + test);
  const values = new Float32Array((train + test) * 784);
  rows.forEach((r, i) => values.set(digits.values.subarray(r * 784, (r + 1) * 784), i * 784));
  return {
    train: tf.tensor2d(values.subarray(0, train * 784), [train, 784]),
    test: tf.tensor2d(values.subarray(train * 784), [test, 784]),
    trainLabels: Int32Array.from(rows.subarray(0, train), (r) => digits.labels[r]!),
  };
}
