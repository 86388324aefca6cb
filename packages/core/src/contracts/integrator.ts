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

/** A step that also returns the drift at its end point, for first-same-as-last (FSAL) tableaus. */
export interface DerivativeStepResult extends StepResult {
  /** f(t1, y1), when the solver computed it as its last stage (FSAL); owned by the caller. */
  derivative?: tf.Tensor2D;
}

/**
 * A one-step method: declares its order (and, if it has one, the order of its embedded error
 * estimate); knows nothing about step-size control, which belongs to `solve` and a
 * `StepSizeController` (diffrax's separation of solver and step-size policy).
 */
export interface Solver {
  /** Strong order for SDE solvers, classical order for ODE solvers. */
  readonly order: number;
  /** Whether the solver handles a diffusion term. */
  readonly stochastic: boolean;
  /** Registry id (`euler`, `rk4`, `dopri5`, …), used in error messages. */
  readonly id?: string;
  /** Drift evaluations of one step (without first-same-as-last savings). */
  readonly nfePerStep?: number;
  /**
   * Order q of the embedded solution whose difference to the step is `StepResult.error`, so the
   * local error estimate behaves like C h^(q+1) (4 for dopri5, 1 for heun). Absent: no estimate,
   * and no adaptive stepping.
   */
  readonly errorOrder?: number;
  step(problem: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D, rng?: Rng): StepResult;
  /**
   * The step started from a known drift `f0 = f(t0, y0)` (not owned): saves one evaluation, and
   * returns `f(t1, y1)` for the next step when the last stage is evaluated at the end point (FSAL).
   */
  stepWithDerivative?(
    problem: DifferentialProblem,
    t0: number,
    t1: number,
    y0: tf.Tensor2D,
    f0: tf.Tensor2D | undefined,
  ): DerivativeStepResult;
}

/** An SDE solver whose Brownian increments can be supplied, so one path can drive several resolutions. */
export interface SdeSolver extends Solver {
  readonly stochastic: true;
  /** The SDE calculus the solver converges to for multiplicative noise (identical for additive noise). */
  readonly calculus: 'ito' | 'stratonovich';
  /** One step driven by the Brownian increment `dW = W(t1) − W(t0)` (`[n, d]`, not owned). */
  stepWithIncrement(problem: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D, dW: tf.Tensor2D): StepResult;
}

/** What a step-size controller keeps between steps (optax-style explicit state). */
export interface ControllerState {
  /** Scaled error norm of the last accepted step (1 before the first). */
  previousError: number;
}

/** A controller's verdict on one step: accept it or not, and the factor for the next step size. */
export interface ControllerDecision {
  accept: boolean;
  factor: number;
  state: ControllerState;
}

/**
 * A step-size policy, separate from the solver (diffrax's shape). `error` is the scaled RMS norm
 * of the local error estimate (≤ 1 means within rtol/atol); `errorOrder` is the order q of the
 * embedded solution, so the error behaves like h^(q+1).
 */
export interface StepSizeController {
  readonly name: string;
  init(): ControllerState;
  propose(state: ControllerState, error: number, errorOrder: number): ControllerDecision;
}
