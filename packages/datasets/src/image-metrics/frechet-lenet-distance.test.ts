import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureMoments } from './feature-moments.js';
import { frechetDistance } from './frechet-distance.js';
import { frechetLenetDistance } from './frechet-lenet-distance.js';
import { kernelLenetDistance } from './kernel-lenet-distance.js';
import { lenetMnistFeatures } from './lenet-mnist-features.js';
import { subsetPolynomialMmd } from './subset-polynomial-mmd.js';
import { mnistSplit } from '../test-support/mnist-split.js';

// Real MNIST digits: 500 training images (every 18th, all digits), 500 test images (every
// other one) and 200 images of uniform noise in [0, 1]. The LeNet forward pass is slow on the cpu
// backend (~10 ms an image), so the features are computed once here and the comparisons between
// large sets run on them; frechetLenetDistance and kernelLenetDistance themselves are checked to
// be exactly these compositions on smaller sets.
let train: tf.Tensor2D;
let test: tf.Tensor2D;
let noise: tf.Tensor2D;
let trainFeatures: tf.Tensor2D;
let testFeatures: tf.Tensor2D;
let noiseFeatures: tf.Tensor2D;

function rows(images: Float32Array, count: number, step: number): tf.Tensor2D {
  const out = new Float32Array(count * 784);
  for (let k = 0; k < count; k++) out.set(images.subarray(step * k * 784, (step * k + 1) * 784), k * 784);
  return tf.tensor2d(out, [count, 784]);
}

/** FLD on precomputed `[n, 84]` features. */
function fldOfFeatures(a: tf.Tensor2D, b: tf.Tensor2D): number {
  return frechetDistance(featureMoments(a.dataSync(), a.shape[0], 84), featureMoments(b.dataSync(), b.shape[0], 84));
}

describe('frechetLenetDistance (FLD) and kernelLenetDistance (KID) on MNIST', () => {
  beforeAll(() => {
    const split = mnistSplit();
    train = rows(split.train.images, 500, 18);
    test = rows(split.test.images, 500, 2);
    noise = tf.tensor2d(createRng(7).uniformArray(200 * 784), [200, 784]);
    trainFeatures = lenetMnistFeatures(train);
    testFeatures = lenetMnistFeatures(test);
    noiseFeatures = lenetMnistFeatures(noise);
  });
  afterAll(() => tf.dispose([train, test, noise, trainFeatures, testFeatures, noiseFeatures]));

  it('FLD(x, x) ≈ 0, FLD(train, test) is small, FLD(train or test, noise) is large, and FLD is symmetric', () => {
    const same = fldOfFeatures(testFeatures, testFeatures);
    const held = fldOfFeatures(trainFeatures, testFeatures);
    const far = fldOfFeatures(testFeatures, noiseFeatures);
    const trainFar = fldOfFeatures(trainFeatures, noiseFeatures);
    const farSwapped = fldOfFeatures(noiseFeatures, testFeatures);
    // Identical moments: only the float64 rounding of two eigendecompositions remains.
    expect(Math.abs(same)).toBeLessThan(1e-9 * far);
    expect(held).toBeGreaterThan(0);
    // Two samples of one law are far closer than digits and noise (measured: 3.3 against 311 here).
    expect(held).toBeLessThan(0.02 * far);
    expect(held).toBeLessThan(0.02 * trainFar);
    expect(Math.abs(far - farSwapped)).toBeLessThan(1e-9 * far);
  });

  it('frechetLenetDistance is the Fréchet distance of the LeNet feature moments, and leaks no tensor', () => {
    const before = tf.memory().numTensors;
    const x = tf.slice(train, [0, 0], [120, 784]);
    const y = tf.slice(noise, [0, 0], [90, 784]);
    const value = frechetLenetDistance(x, y);
    const fx = tf.slice(trainFeatures, [0, 0], [120, 84]);
    const fy = tf.slice(noiseFeatures, [0, 0], [90, 84]);
    expect(value).toBe(fldOfFeatures(fx, fy));
    expect(frechetLenetDistance(x, x)).toBeLessThan(1e-9 * value);
    tf.dispose([x, y, fx, fy]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('KID: train vs test is near 0 (within its spread), test vs noise is far, same seed same value', () => {
    const options = { subsetSize: 150, subsets: 20, seed: 1 };
    const held = subsetPolynomialMmd(trainFeatures, testFeatures, options);
    const far = subsetPolynomialMmd(testFeatures, noiseFeatures, options);
    expect(held.subsetSize).toBe(150);
    expect(Math.abs(held.mean)).toBeLessThan(3 * held.std + 0.01 * far.mean);
    // Measured: 3.7 against 308 here.
    expect(far.mean).toBeGreaterThan(30 * Math.abs(held.mean));
    expect(far.mean).toBeGreaterThan(5 * far.std);
    const again = subsetPolynomialMmd(trainFeatures, testFeatures, options);
    expect(Array.from(again.values)).toEqual(Array.from(held.values));
  });

  it('kernelLenetDistance is subsetPolynomialMmd of the LeNet features, and leaks no tensor', () => {
    const before = tf.memory().numTensors;
    const x = tf.slice(train, [0, 0], [100, 784]);
    const y = tf.slice(test, [0, 0], [80, 784]);
    const options = { subsetSize: 50, subsets: 3, seed: 2 };
    const result = kernelLenetDistance(x, y, options);
    const fx = tf.slice(trainFeatures, [0, 0], [100, 84]);
    const fy = tf.slice(testFeatures, [0, 0], [80, 84]);
    expect(Array.from(result.values)).toEqual(Array.from(subsetPolynomialMmd(fx, fy, options).values));
    tf.dispose([x, y, fx, fy]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes features in batches exactly as in one pass, and names the input when it is not [n, 784]', () => {
    const before = tf.memory().numTensors;
    const head = tf.slice(test, [0, 0], [70, 784]);
    const whole = lenetMnistFeatures(head);
    const batched = lenetMnistFeatures(head, { batchSize: 32 });
    expect(whole.shape).toEqual([70, 84]);
    expect(Array.from(batched.dataSync())).toEqual(Array.from(whole.dataSync()));
    const wrong = tf.zeros([5, 2]) as tf.Tensor2D;
    const one = tf.slice(test, [0, 0], [1, 784]);
    expect(() => frechetLenetDistance(wrong, test)).toThrow(/x has shape \[5, 2\], expected \[n, 784\]: rows of 28×28 grey MNIST images/);
    expect(() => frechetLenetDistance(test, wrong)).toThrow(/y has shape \[5, 2\], expected \[n, 784\]/);
    expect(() => kernelLenetDistance(test, wrong)).toThrow(/y has shape \[5, 2\], expected \[n, 784\]/);
    expect(() => lenetMnistFeatures(head, { batchSize: 0 })).toThrow(/batchSize is 0, expected a positive integer/);
    expect(() => frechetLenetDistance(one, head)).toThrow(/x \(LeNet features\): needs at least 2 rows for a covariance, got 1/);
    tf.dispose([head, whole, batched, wrong, one]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
