import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, OptionsError } from '@pfm/core';
import { checkDiscrepancyAxioms } from '@pfm/core/testing';
import { describe, expect, it } from 'vitest';
import { datasetsPlugin } from '../plugin/datasets-plugin.js';
import { frechetLenetDistance } from './frechet-lenet-distance.js';
import { kernelLenetDistance } from './kernel-lenet-distance.js';
import { mnistSplit } from '../test-support/mnist-split.js';

describe('the fld and kid discrepancies of the datasets plugin', () => {
  const registry = createRegistry({ plugins: [datasetsPlugin] });

  it('are registered as discrepancies and give the values of frechetLenetDistance and kernelLenetDistance', () => {
    expect(registry.ids('discrepancy')).toEqual(['fld', 'kid']);
    const { train, test } = mnistSplit();
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(train.images.subarray(0, 120 * 784), [120, 784]);
    const y = tf.tensor2d(test.images.subarray(0, 100 * 784), [100, 784]);
    const fld = registry.create('discrepancy', 'fld');
    const kid = registry.create('discrepancy', { id: 'kid', options: { subsetSize: 50, subsets: 4, seed: 2 } });
    const fldValue = fld(x, y);
    const kidValue = kid(x, y);
    expect(fldValue.shape).toEqual([]);
    // The scalar is float32; the host value float64.
    expect(fldValue.dataSync()[0]).toBeCloseTo(Math.fround(frechetLenetDistance(x, y)), 6);
    expect(kidValue.dataSync()[0]).toBe(Math.fround(kernelLenetDistance(x, y, { subsetSize: 50, subsets: 4, seed: 2 }).mean));
    tf.dispose([x, y, fldValue, kidValue]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pass the discrepancy axioms that hold for them (no gradient: they are metrics, not losses)', () => {
    // 784-d Gaussian clouds stand in for images: the metrics accept any data of dimension 784.
    const before = tf.memory().numTensors;
    checkDiscrepancyAxioms(registry.create('discrepancy', 'fld'), { name: 'fld', dim: 784, n: 64, gradient: false });
    // KID is a U-statistic: 0 only in expectation and negative on some samples.
    checkDiscrepancyAxioms(registry.create('discrepancy', 'kid'), {
      name: 'kid',
      dim: 784,
      n: 64,
      gradient: false,
      zeroOnIdentical: false,
      nonnegative: false,
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reject bad options naming the field, and points of another dimension naming the input', () => {
    expect(() => registry.create('discrepancy', { id: 'kid', options: { subsetSize: 1 } })).toThrow(OptionsError);
    expect(() => registry.create('discrepancy', { id: 'kid', options: { subsetSize: 1 } })).toThrow(/options\.subsetSize/);
    expect(() => registry.create('discrepancy', { id: 'kid', options: { subsets: 2.5 } })).toThrow(/options\.subsets/);
    expect(() => registry.create('discrepancy', { id: 'fld', options: { bandwidth: 1 } })).toThrow(/bandwidth/);
    const fld = registry.create('discrepancy', 'fld');
    const points = tf.zeros([10, 2]) as tf.Tensor2D;
    try {
      expect(() => registry.create('discrepancy', 'kid')(points, points)).toThrow(/^kid: x has shape \[10, 2\], expected \[n, 784\]/);
      expect(() => fld(points, points)).toThrow(/^fld: x has shape \[10, 2\], expected \[n, 784\]: rows of 28×28 grey MNIST images with values in \[0, 1\]/);
    } finally {
      points.dispose();
    }
  });
});
