import * as tf from '@tensorflow/tfjs-core';
import type { DifferentialProblem, Rng } from '@pfm/core';

/** dW ~ N(0, |t1 − t0| I) with the shape of `y0`, drawn from `rng`; `where` names the caller in errors. */
export function brownianIncrement(where: string, t0: number, t1: number, y0: tf.Tensor2D, rng: Rng | undefined): tf.Tensor2D {
  if (!rng) {
    throw new TypeError(`${where}: a stochastic step needs an rng (or use stepWithIncrement with a Brownian increment)`);
  }
  const scale = Math.sqrt(Math.abs(t1 - t0));
  return tf.tidy(() => tf.mul(rng.normal(y0.shape), scale) as tf.Tensor2D);
}

/** g(t, y) ⊙ dW for a diagonal diffusion that may be a number, a row-broadcast tensor or absent. */
export function diffusionTimes(problem: DifferentialProblem, t: number, y: tf.Tensor2D, dW: tf.Tensor2D): tf.Tensor2D {
  if (!problem.diffusion) return tf.zerosLike(dW);
  const g = problem.diffusion(t, y);
  return (typeof g === 'number' ? tf.mul(dW, g) : tf.mul(g, dW)) as tf.Tensor2D;
}
