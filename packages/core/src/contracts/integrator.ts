import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';

/** dy = drift(t, y) dt + diffusion(t, y) dW — the problem, kept apart from the solver. */
export interface DifferentialProblem {
  drift(t: number, y: tf.Tensor2D): tf.Tensor2D;
  /** Diagonal diffusion g(t, y) (`[n, d]` or a scalar); absent for an ODE. */
  diffusion?(t: number, y: tf.Tensor2D): tf.Tensor2D | number;
}

/** One step of a solver from t0 to t1. `error` is an estimate of the local error, if the solver has one. */
export interface StepResult {
  y: tf.Tensor2D;
  error?: tf.Tensor2D;
  /** Drift evaluations this step used. */
  nfe: number;
}

/** A one-step method: declares its order; knows nothing about step-size control. */
export interface Solver {
  /** Strong order for SDE solvers, classical order for ODE solvers. */
  readonly order: number;
  /** Whether the solver handles a diffusion term. */
  readonly stochastic: boolean;
  step(problem: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D, rng?: Rng): StepResult;
}
