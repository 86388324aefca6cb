import type * as tf from '@tensorflow/tfjs-core';
import type { Model, SampleOptions } from '@pfm/core';
import { frechetLenetDistance } from '@pfm/datasets';
import { clippedSamples } from './clipped-samples.js';

/** FLD against `test` of `n` clipped samples of `model` (see {@link clippedSamples}). */
export function sampledFld(model: Model, n: number, seed: number, test: tf.Tensor2D, options?: SampleOptions): number {
  const { x } = clippedSamples(model, n, seed, options);
  try {
    return frechetLenetDistance(x, test);
  } finally {
    x.dispose();
  }
}
