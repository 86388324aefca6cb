// Euler–Maruyama for the Itô SDE dY = f(t, Y) dt + g(t, Y) dW with diagonal g:
//   Y1 = Y0 + f(t0, Y0) h + g(t0, Y0) ⊙ ΔW;  strong order ½ in general, 1 for additive noise
//   (Kloeden & Platen, Numerical Solution of SDEs, 1992, §9.1 and Theorem 10.2.2).
import * as tf from '@tensorflow/tfjs-core';
import { brownianIncrement, diffusionTimes, type DifferentialProblem, type Rng } from '@pfm/core';
import type { SdeSolver } from './sde-solver.js';

/** Euler–Maruyama (Itô; strong order 0.5; one drift evaluation per step). */
export function eulerMaruyama(): SdeSolver {
  const stepWithIncrement = (problem: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D, dW: tf.Tensor2D) => {
    const y = tf.tidy(() => {
      const h = t1 - t0;
      return tf.add(tf.add(y0, tf.mul(problem.drift(t0, y0), h)), diffusionTimes(problem, t0, y0, dW)) as tf.Tensor2D;
    });
    return { y, nfe: 1 };
  };
  return {
    id: 'euler-maruyama',
    order: 0.5,
    stochastic: true,
    calculus: 'ito',
    nfePerStep: 1,
    stepWithIncrement,
    step(problem: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D, rng?: Rng) {
      const dW = brownianIncrement('euler-maruyama', t0, t1, y0, rng);
      try {
        return stepWithIncrement(problem, t0, t1, y0, dW);
      } finally {
        dW.dispose();
      }
    },
  };
}
