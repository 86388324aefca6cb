// The noise term of an SDE step with diagonal diffusion: g(t, y) ⊙ dW (Kloeden & Platen 1992, §4.8).
import * as tf from '@tensorflow/tfjs-core';
import type { DifferentialProblem } from '../contracts/integrator.js';

/** g(t, y) ⊙ dW (`[n, d]`) for a diagonal diffusion that may be a number, a row-broadcast tensor or absent. */
export function diffusionTimes(problem: DifferentialProblem, t: number, y: tf.Tensor2D, dW: tf.Tensor2D): tf.Tensor2D {
  if (!problem.diffusion) return tf.zerosLike(dW);
  const g = problem.diffusion(t, y);
  return (typeof g === 'number' ? tf.mul(dW, g) : tf.mul(g, dW)) as tf.Tensor2D;
}
