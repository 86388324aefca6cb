// Class accuracy of generated digits: the fraction of images the project's LeNet MNIST classifier
// (the network whose features define FLD and KID) assigns to the class they were generated for,
//   acc = (1/n) Σ_i 1[argmax_k logits_k(x_i) = c_i].
// A fixed classifier's accuracy on class-conditional samples is the usual check that a generator
// obeys its label (Odena et al. 2017, AC-GAN, score samples with a pretrained Inception network):
// high when the samples look like their requested digit, ≈ 1/10 when the label is ignored.
import * as tf from '@tensorflow/tfjs-core';
import { lenetForward } from './lenet-forward.js';
import { lenetMnistParameters } from './lenet-mnist-parameters.js';

/** Options of {@link lenetClassAccuracy}. */
export interface LenetClassAccuracyOptions {
  /** Images per forward pass (bounds the memory of the convolutions; default 1000). */
  batchSize?: number;
  /** How the images are named in errors (default `images`). */
  name?: string;
}

/** What {@link lenetClassAccuracy} returns. */
export interface LenetClassAccuracy {
  /** Fraction of the images classified as their label, in [0, 1]. */
  accuracy: number;
  /** The classifier's digit for each image (argmax of its logits), in row order. */
  predictions: Int32Array;
  /** `[10]`: accuracy among the images labelled 0 … 9 (NaN for a digit with no image). */
  perClass: number[];
  /** `[10]`: number of images labelled 0 … 9. */
  counts: number[];
}

/**
 * The accuracy of pfm's LeNet MNIST classifier on `images` `[n, 784]` (28×28 grey rows in [0, 1],
 * MNIST layout) against `labels` (n digits 0…9, an array or an `[n]` tensor): overall and per
 * digit, with the predicted digits. Host result, no gradient. Throws a RangeError naming the input,
 * the value and what was expected (images not `[n ≥ 1, 784]`, a label count other than n, a label
 * outside 0…9).
 */
export function lenetClassAccuracy(images: tf.Tensor2D, labels: ArrayLike<number> | tf.Tensor, options: LenetClassAccuracyOptions = {}): LenetClassAccuracy {
  const name = options.name ?? 'images';
  const batchSize = options.batchSize ?? 1000;
  if (!(images instanceof tf.Tensor) || images.rank !== 2 || images.shape[1] !== 784 || images.shape[0] < 1) {
    const shape = images instanceof tf.Tensor ? `[${images.shape.join(', ')}]` : typeof images;
    throw new RangeError(`${name} has shape ${shape}, expected [n ≥ 1, 784]: rows of 28×28 grey MNIST images with values in [0, 1]`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize is ${batchSize}, expected a positive integer`);
  const n = images.shape[0];
  const wanted = labels instanceof tf.Tensor ? labels.dataSync() : labels;
  if (labels instanceof tf.Tensor && labels.rank !== 1) throw new RangeError(`labels have shape [${labels.shape.join(', ')}], expected [${n}] digits`);
  if (wanted.length !== n) throw new RangeError(`labels: ${wanted.length} labels for ${n} ${name}, expected one digit per image`);
  for (let i = 0; i < n; i++) {
    const c = wanted[i]!;
    if (!Number.isInteger(c) || c < 0 || c > 9) throw new RangeError(`labels: label ${c} at row ${i}, expected a digit 0…9`);
  }
  const predictions = new Int32Array(n);
  tf.tidy(() => {
    const parameters = lenetMnistParameters();
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      // Each batch's activations are freed before the next one is computed.
      const digits = tf.tidy(() => tf.argMax(lenetForward(parameters, tf.slice(images, [start, 0], [size, 784])).logits, 1));
      predictions.set(digits.dataSync(), start);
      digits.dispose();
    }
  });
  const counts = new Array<number>(10).fill(0);
  const hits = new Array<number>(10).fill(0);
  for (let i = 0; i < n; i++) {
    const c = wanted[i]!;
    counts[c]!++;
    if (predictions[i] === c) hits[c]!++;
  }
  const total = hits.reduce((a, b) => a + b, 0);
  return { accuracy: total / n, predictions, perClass: counts.map((count, c) => (count > 0 ? hits[c]! / count : Number.NaN)), counts };
}
