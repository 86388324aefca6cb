// The digits a run of the MNIST track trains on and is measured against.
import * as tf from '@tensorflow/tfjs-core';
import { readMnist } from '@pfm/datasets/node';

const DIM = 784;

/** Training and test digits `[n, 784]` (owned by the caller), with their digits when known. */
export interface MnistSplit {
  train: tf.Tensor2D;
  test: tf.Tensor2D;
  /** The digit of each training row (the class-conditional case needs them). */
  trainLabels?: Int32Array;
  /** The digit of each test row. */
  testLabels?: Int32Array;
}

/**
 * Row indices of a subset of `size` rows out of `rows`, evenly spaced: the split is ordered by
 * digit, so an evenly spaced subset keeps the classes balanced where the first rows would not.
 */
export function spacedRows(rows: number, size: number): Int32Array {
  if (!Number.isInteger(size) || size < 1 || size > rows) throw new RangeError(`train size must be an integer in [1, ${rows}], got ${size}`);
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor((i * rows) / size);
  return out;
}

/** Reads the MNIST split (`trainSize` evenly spaced training digits, all 1,000 test digits). */
export function loadMnistSplit(trainSize: number): MnistSplit {
  const train = readMnist({ split: 'train' });
  const test = readMnist({ split: 'test' });
  const keep = spacedRows(train.rows, trainSize);
  const values = new Float32Array(trainSize * DIM);
  keep.forEach((row, i) => values.set(train.values.subarray(row * DIM, (row + 1) * DIM), i * DIM));
  return {
    train: tf.tensor2d(values, [trainSize, DIM]),
    test: tf.tensor2d(test.values, [test.rows, DIM]),
    trainLabels: Int32Array.from(keep, (row) => train.labels[row]!),
    testLabels: test.labels,
  };
}
