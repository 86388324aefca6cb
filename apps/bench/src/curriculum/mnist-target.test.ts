// The MNIST target's measures on known images: real digits cover every class and are classified
// confidently, copies of one digit cover one class (a collapse, so a failure), grey noise is
// classified with low confidence; and its recipes give the curriculum's identity start noise of the image's shape.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { readMnist } from '@pfm/datasets/node';
import { spacedRows } from '../mnist/mnist-split.js';
import { isFailure, type CurriculumRecord } from './curriculum-summary.js';
import { digitCensus, MNIST_CONFIDENCE, mnistObjectiveRecipe } from './mnist-target.js';

/** `n` evenly spaced test digits (the split is ordered by digit, so every class is present) and their labels. */
function testDigits(n: number): { x: tf.Tensor2D; labels: Int32Array } {
  const digits = readMnist({ split: 'test' });
  const rows = spacedRows(digits.rows, n);
  const values = new Float32Array(n * 784);
  rows.forEach((r, i) => values.set(digits.values.subarray(r * 784, (r + 1) * 784), i * 784));
  return { x: tf.tensor2d(values, [n, 784]), labels: Int32Array.from(rows, (r) => digits.labels[r]!) };
}

describe('curriculum suite, MNIST target', () => {
  it('counts the digits the LeNet assigns: real digits cover all ten, confidently; one digit repeated covers one', () => {
    const before = tf.memory().numTensors;
    const { x, labels } = testDigits(200);
    const real = digitCensus(x);
    // 20 of each digit; the classifier's test accuracy is ~99 %, so every digit keeps ≥ 2 % (4) of the 200.
    expect(real.covered).toBe(10);
    expect(real.counts.reduce((a, b) => a + b, 0)).toBe(200);
    for (let d = 0; d < 10; d++) expect(Math.abs(real.counts[d]! - labels.filter((l) => l === d).length)).toBeLessThanOrEqual(4);
    expect(real.confident).toBeGreaterThan(0.9);
    // 200 copies of the first digit (a 0): one class, a collapse.
    const copies = tf.tidy(() => tf.tile(tf.slice(x, [0, 0], [1, 784]), [200, 1]) as tf.Tensor2D);
    const collapsed = digitCensus(copies, 64);
    expect(collapsed.covered).toBe(1);
    expect(collapsed.counts[labels[0]!]).toBe(200);
    // Uniform grey: no digit, so no confident sample.
    const grey = tf.fill([50, 784], 0.5) as tf.Tensor2D;
    expect(digitCensus(grey).confident).toBeLessThan(MNIST_CONFIDENCE);
    const wrong = tf.zeros([3, 10]) as tf.Tensor2D;
    expect(() => digitCensus(wrong)).toThrow(/images have shape \[3, 10\], expected \[n ≥ 1, 784\]/);
    tf.dispose([x, copies, grey, wrong]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a run covering at most 2 digits is a failure; one covering 3 is not', () => {
    const record = (covered: number): CurriculumRecord => ({
      target: 'mnist',
      method: 'gan',
      variant: 'plain',
      seed: 0,
      status: 'ok',
      metrics: { covered, reached: null, modes: 10, highQuality: 0.5, energy: null, fld: 40, nonFinite: 0, trainSeconds: 1 },
    });
    expect([1, 2, 3, 10].map((c) => isFailure(record(c)))).toEqual([true, true, false, false]);
    expect(isFailure({ ...record(10), metrics: { ...record(10).metrics!, fld: Number.NaN } })).toBe(true);
  });

  it('builds the plain and curriculum recipes on one network: noise of the image size, unbounded output, the plane targets\' schedule', () => {
    const plain = mnistObjectiveRecipe('wgan-gp-one-sided', false, 300, 64);
    expect(plain).toEqual({
      method: 'wgan-gp',
      options: { penaltySide: 'one-sided', latentDim: 784, noise: 'gaussian' },
      model: { outputActivation: 'linear' },
      optimizer: { name: 'adam', lr: 1e-3 },
      steps: 300,
      batchSize: 64,
      seed: 0,
    });
    const curriculum = mnistObjectiveRecipe('gan', 'even', 300, 64);
    expect(curriculum.method).toBe('curriculum');
    expect(curriculum.model).toEqual(plain.model);
    expect(curriculum.options).toEqual({
      objective: { id: 'gan', options: { latentDim: 784, noise: 'gaussian' } },
      levels: 4,
      stepsPerLevel: [47, 47, 47, 144],
      init: 'identity',
      identitySteps: 15,
    });
  });
});
