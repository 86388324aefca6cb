// The MNIST target of the curriculum suite: the one-step objectives with pfm's convolutional
// generator on the 28×28 digits, plain and inside the curriculum, measured by pfm's LeNet MNIST
// classifier (the network whose features define FLD):
//   FLD           the Fréchet distance of the LeNet features of the samples to the 1,000 test digits;
//   digits covered  the classes the classifier assigns to at least MNIST_DIGIT_SHARE (2 %) of the
//                   samples — a collapsed generator draws one or two digits, a good one all ten
//                   (the "modes covered" of the plane's targets, with the classifier as the mode map);
//   confident     the fraction of samples whose largest softmax probability is at least
//                 MNIST_CONFIDENCE (0.9): digit-like images rather than blends or noise (the
//                 "high quality" of the plane's targets).
// A run fails when its loss or samples are non-finite or when it covers at most
// MNIST_COLLAPSE_DIGITS (2, in curriculum-summary) digits.
//
// The network: the curriculum's identity start (φ(z) ≈ z, the paper's "noise to noise" at
// t = ∞) needs the generator's noise to have the image's shape, 784 values, and an output that can
// be noise (negative values, beyond 1): the conv-generator with latentDim 784 and a linear output,
// rather than the image default (a 64-d latent, sigmoid output). Plain runs use the same network,
// so the only difference is the data each step sees; samples are clipped to [0, 1] before they are
// measured, as the MNIST track's are.
import * as tf from '@tensorflow/tfjs-core';
import { type Model } from '@pfm/core';
import { frechetLenetDistance, lenetForward, lenetMnistParameters } from '@pfm/datasets';
import { clippedSamples } from '../mnist/clipped-samples.js';
import { curriculumSchedule, innerObjective, type CurriculumObjective, type CurriculumSchedule } from './curriculum-recipes.js';
import type { CurriculumMetrics } from './curriculum-summary.js';

/** Pixels of one digit. */
const DIM = 784;
/** A digit is covered when the classifier assigns it at least this share of the samples. */
export const MNIST_DIGIT_SHARE = 0.02;
/** A sample is confidently classified when its largest softmax probability is at least this. */
export const MNIST_CONFIDENCE = 0.9;

const OPTIMIZER = { name: 'adam', lr: 1e-3 } as const;
/** The generator: pfm's conv-generator (its default channels), noise of the image's size in, unbounded pixels out. */
const NETWORK = { outputActivation: 'linear' } as const;
/** The generator's noise: N(0, I) of the image's 784 values, what the identity start needs. */
const LATENT = { latentDim: DIM, noise: 'gaussian' } as const;

/**
 * The recipe of `objective` on MNIST, plain (`curriculum` false) or wrapped in the curriculum with
 * the schedule of the plane's targets (curriculumSchedule: ⌈T/20⌉ identity steps, then 4 levels),
 * for `steps` steps of `batchSize` digits.
 */
export function mnistObjectiveRecipe(objective: CurriculumObjective, curriculum: false | CurriculumSchedule, steps: number, batchSize: number): Record<string, unknown> {
  const inner = innerObjective(objective);
  const options = { ...inner.options, ...LATENT };
  const common = { model: { ...NETWORK }, optimizer: { ...OPTIMIZER }, steps, batchSize, seed: 0 };
  if (curriculum === false) return { method: inner.id, options, ...common };
  return { method: 'curriculum', options: { objective: { id: inner.id, options }, ...curriculumSchedule(steps, curriculum) }, ...common };
}

/** What the classifier says of a set of images. */
export interface DigitCensus {
  /** Images assigned to each digit 0…9 (argmax of the logits). */
  counts: number[];
  /** Digits assigned at least MNIST_DIGIT_SHARE of the images. */
  covered: number;
  /** Fraction of images whose largest softmax probability is at least MNIST_CONFIDENCE. */
  confident: number;
}

/**
 * The LeNet census of `images` `[n ≥ 1, 784]` (grey rows in [0, 1]): digits assigned, digits covered,
 * fraction confidently classified. Forward passes by `batchSize` rows.
 */
export function digitCensus(images: tf.Tensor2D, batchSize = 500): DigitCensus {
  const n = images.shape[0];
  if (images.rank !== 2 || images.shape[1] !== DIM || n < 1) throw new RangeError(`images have shape [${images.shape.join(', ')}], expected [n ≥ 1, 784]: 28×28 grey MNIST rows`);
  const counts = new Array<number>(10).fill(0);
  let confident = 0;
  const parameters = lenetMnistParameters();
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const [digit, top] = tf.tidy(() => {
        const p = tf.softmax(lenetForward(parameters, tf.slice(images, [start, 0], [size, DIM])).logits);
        return [tf.argMax(p, 1), tf.max(p, 1)];
      });
      const d = digit.dataSync();
      const q = top.dataSync();
      tf.dispose([digit, top]);
      for (let i = 0; i < size; i++) {
        counts[d[i]!]!++;
        if (q[i]! >= MNIST_CONFIDENCE) confident++;
      }
    }
  } finally {
    tf.dispose(Object.values(parameters));
  }
  return { counts, covered: counts.filter((c) => c >= MNIST_DIGIT_SHARE * n).length, confident: confident / n };
}

/**
 * Samples `n` digits of `model` (clipped to [0, 1]) and measures them against the test digits:
 * FLD, digits covered, fraction confident; `training` adds the steps and CPU seconds of the run.
 * Non-finite samples make FLD NaN and the run a failure.
 */
export function measureMnist(model: Model, test: tf.Tensor2D, n: number, seed: number, trainSeconds: number, training?: { steps: number; cpuSeconds: number }): CurriculumMetrics {
  const { x } = clippedSamples(model, n, seed);
  try {
    const nonFinite = (x.dataSync() as Float32Array).filter((v) => !Number.isFinite(v)).length;
    const census = digitCensus(x);
    const fld = nonFinite > 0 ? Number.NaN : frechetLenetDistance(x, test);
    return { covered: census.covered, reached: null, modes: 10, highQuality: census.confident, energy: null, fld, digits: census.counts, nonFinite, trainSeconds, ...training };
  } finally {
    x.dispose();
  }
}
