// Stochastic Heun for the Stratonovich SDE dY = f(t, Y) dt + g(t, Y) ∘ dW with diagonal g:
//   Ỹ = Y0 + f0 h + g0 ⊙ ΔW,  Y1 = Y0 + ½(f0 + f(t1, Ỹ)) h + ½(g0 + g(t1, Ỹ)) ⊙ ΔW;
//   strong order 1 for commutative (e.g. diagonal or additive) noise (Rümelin 1982; Kloeden & Platen
//   §11.1). For additive noise Itô and Stratonovich coincide and this is the improved Euler scheme.
import * as tf from '@tensorflow/tfjs-core';
import { brownianIncrement, diffusionTimes, type DifferentialProblem, type Rng } from '@pfm/core';
import type { SdeSolver } from './sde-solver.js';

/** Stochastic Heun (Stratonovich; strong order 1 for commutative noise; two drift evaluations per step). */
export function stochasticHeun(): SdeSolver {
  const stepWithIncrement = (problem: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D, dW: tf.Tensor2D) => {
    const y = tf.tidy(() => {
      const h = t1 - t0;
      const f0 = problem.drift(t0, y0);
      const g0dW = diffusionTimes(problem, t0, y0, dW);
      const predictor = tf.add(tf.add(y0, tf.mul(f0, h)), g0dW) as tf.Tensor2D;
      const f1 = problem.drift(t1, predictor);
      const g1dW = diffusionTimes(problem, t1, predictor, dW);
      return tf.add(tf.add(y0, tf.mul(tf.add(f0, f1), 0.5 * h)), tf.mul(tf.add(g0dW, g1dW), 0.5)) as tf.Tensor2D;
    });
    return { y, nfe: 2 };
  };
  return {
    id: 'stochastic-heun',
    order: 1,
    stochastic: true,
    calculus: 'stratonovich',
    nfePerStep: 2,
    stepWithIncrement,
    step(problem: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D, rng?: Rng) {
      const dW = brownianIncrement('stochastic-heun', t0, t1, y0, rng);
      try {
        return stepWithIncrement(problem, t0, t1, y0, dW);
      } finally {
        dW.dispose();
      }
    },
  };
}
