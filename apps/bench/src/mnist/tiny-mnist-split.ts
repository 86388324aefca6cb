// Test support (not part of the bench's runs): a few MNIST digits as a split, so the track's smoke
// tests run in seconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect } from 'vitest';
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

/**
 * The set-up of a test file on a tiny split: a fresh output folder named after `prefix`, and
 * `tinyMnistSplit(train, test)` made before the tests and disposed after them, when the folder
 * is removed and the tensor count is checked to be back where it started. Call at the top level
 * of a test file; `split()` is valid inside the tests.
 */
export function useTinyMnistSplit(prefix: string, train = 64, test = 16): { out: string; split: () => MnistSplit } {
  const out = mkdtempSync(join(tmpdir(), prefix));
  let split: MnistSplit | undefined;
  let before = 0;
  beforeAll(() => {
    before = tf.memory().numTensors;
    split = tinyMnistSplit(train, test);
  });
  afterAll(() => {
    if (split) tf.dispose([split.train, split.test]);
    expect(tf.memory().numTensors).toBe(before);
    rmSync(out, { recursive: true, force: true });
  });
  return {
    out,
    split: () => {
      if (!split) throw new Error('useTinyMnistSplit: the split is made in beforeAll; read it inside a test');
      return split;
    },
  };
}
