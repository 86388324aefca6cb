import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';

/**
 * A coupling π of noise and data used to draw the endpoints (x0, x1) of conditional paths:
 * `pair` re-pairs (or resamples) a minibatch of noise x0 and data x1 (both `[n, d]`) into n pairs
 * drawn from π. The result may share tensors with the inputs; call it inside tf.tidy.
 */
export interface Coupling {
  readonly name: string;
  pair(x0: tf.Tensor2D, x1: tf.Tensor2D, rng: Rng): { x0: tf.Tensor2D; x1: tf.Tensor2D };
}
