// The arguments of a group normalisation besides its input (Wu & He, ECCV 2018).
import type * as tf from '@tensorflow/tfjs-core';

/** Per-channel scale γ and shift β, the number of groups G and ε (PyTorch's 1e-5 by default). */
export interface GroupNormOptions {
  /** γ `[c]`. */
  scale: tf.Tensor;
  /** β `[c]`. */
  shift: tf.Tensor;
  /** G, a divisor of the channel count c. */
  groups: number;
  /** Added to the variance before the square root; default 1e-5. */
  epsilon?: number;
}
