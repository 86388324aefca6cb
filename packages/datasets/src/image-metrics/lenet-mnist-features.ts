// The 84-d penultimate activations of the shipped LeNet MNIST classifier: the feature space of
// the FLD and KID image metrics (the role Inception-v3's pool features play in FID and KID).
import * as tf from '@tensorflow/tfjs-core';
import { lenetForward } from './lenet-forward.js';
import { lenetMnistParameters } from './lenet-mnist-parameters.js';

/** Options of `lenetMnistFeatures`. */
export interface LenetMnistFeaturesOptions {
  /** Images per forward pass (bounds the memory of the convolutions; default 1000). */
  batchSize?: number;
  /** How the images are named in errors (default `images`). */
  name?: string;
}

/**
 * `[n, 784]` rows of 28×28 grey images (MNIST layout: row-major, values in [0, 1]; any data of
 * dimension 784 is accepted) → `[n, 84]` LeNet features. The caller owns the result. Throws a
 * RangeError naming the input when it is not `[n, 784]`.
 */
export function lenetMnistFeatures(images: tf.Tensor2D, options: LenetMnistFeaturesOptions = {}): tf.Tensor2D {
  const name = options.name ?? 'images';
  const batchSize = options.batchSize ?? 1000;
  if (images.rank !== 2 || images.shape[1] !== 784) {
    throw new RangeError(
      `${name} has shape [${images.shape.join(', ')}], expected [n, 784]: rows of 28×28 grey MNIST images with values in [0, 1]`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize is ${batchSize}, expected a positive integer`);
  const n = images.shape[0];
  return tf.tidy(() => {
    const parameters = lenetMnistParameters();
    if (n <= batchSize) return lenetForward(parameters, images).features;
    const parts: tf.Tensor2D[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      // Each batch's activations are freed before the next one is computed.
      parts.push(tf.tidy(() => lenetForward(parameters, tf.slice(images, [start, 0], [size, 784])).features));
    }
    return tf.concat(parts, 0);
  });
}
