// The Brownian increment of one step: W(t1) − W(t0) ~ N(0, |t1 − t0| I), independent across steps.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';

/** dW ~ N(0, |t1 − t0| I) with the shape of `y0` (`[n, d]`), drawn from `rng`; `where` names the caller in errors. */
export function brownianIncrement(where: string, t0: number, t1: number, y0: tf.Tensor2D, rng: Rng | undefined): tf.Tensor2D {
  if (!rng) {
    throw new TypeError(`${where}: a stochastic step needs an rng (or use stepWithIncrement with a Brownian increment)`);
  }
  const scale = Math.sqrt(Math.abs(t1 - t0));
  return tf.tidy(() => tf.mul(rng.normal(y0.shape), scale) as tf.Tensor2D);
}
