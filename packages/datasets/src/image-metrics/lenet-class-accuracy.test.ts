import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lenetClassAccuracy } from './lenet-class-accuracy.js';
import { mnistSplit } from '../test-support/mnist-split.js';

// 300 real test digits (spread evenly over the 1,000, which are in digit order, so all ten digits) and their labels. The cpu
// backend's LeNet takes ~10 ms an image, so the set stays small.
let images: tf.Tensor2D;
let labels: Int32Array;

beforeAll(() => {
  const { test } = mnistSplit();
  const picked = Array.from({ length: 300 }, (_, k) => Math.floor((10 * k) / 3));
  const values = new Float32Array(300 * 784);
  picked.forEach((i, k) => values.set(test.images.subarray(i * 784, (i + 1) * 784), k * 784));
  images = tf.tensor2d(values, [300, 784]);
  labels = Int32Array.from(picked, (i) => test.labels[i]!);
});

afterAll(() => images.dispose());

describe('lenetClassAccuracy', () => {
  it('is high on real test digits with their labels and near 1/10 with shuffled labels; per digit and in batches alike', () => {
    const before = tf.memory().numTensors;
    const real = lenetClassAccuracy(images, labels);
    // The shipped LeNet scores about 98% on the held-out digits (its weight file's header).
    expect(real.accuracy).toBeGreaterThan(0.95);
    expect(real.counts.reduce((a, b) => a + b, 0)).toBe(300);
    expect(real.counts.every((c) => c > 10)).toBe(true);
    expect(Math.min(...real.perClass)).toBeGreaterThan(0.8);
    // Predictions that match the labels are exactly the hits.
    expect(real.predictions.filter((p, i) => p === labels[i]).length / 300).toBeCloseTo(real.accuracy, 12);
    // A random permutation of the labels keeps their counts but breaks their pairing with the
    // images: the accuracy falls to about Σ_k p_k q_k ≈ 0.1 (binomial sd ≈ 0.017 at n = 300).
    const rng = createRng(4);
    const shuffled = Int32Array.from(labels);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const shuffledTensor = tf.tensor1d(shuffled, 'int32');
    const chance = lenetClassAccuracy(images, shuffledTensor);
    shuffledTensor.dispose();
    expect(chance.accuracy).toBeGreaterThan(0.04);
    expect(chance.accuracy).toBeLessThan(0.16);
    expect(Array.from(chance.predictions)).toEqual(Array.from(real.predictions));
    // Batches of 7 give the same predictions as one pass.
    expect(Array.from(lenetClassAccuracy(images, labels, { batchSize: 7 }).predictions)).toEqual(Array.from(real.predictions));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the input, the value and what was expected', () => {
    const before = tf.memory().numTensors;
    const small = tf.zeros([2, 784]) as tf.Tensor2D;
    const wrong = tf.zeros([2, 10]) as tf.Tensor2D;
    expect(() => lenetClassAccuracy(wrong, [1, 2])).toThrow('images has shape [2, 10], expected [n ≥ 1, 784]');
    expect(() => lenetClassAccuracy(small, [1])).toThrow('labels: 1 labels for 2 images, expected one digit per image');
    expect(() => lenetClassAccuracy(small, [1, 10])).toThrow('labels: label 10 at row 1, expected a digit 0…9');
    expect(() => lenetClassAccuracy(small, [1, 2], { batchSize: 0 })).toThrow('batchSize is 0, expected a positive integer');
    tf.dispose([small, wrong]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
