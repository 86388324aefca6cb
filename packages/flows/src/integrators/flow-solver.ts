import type * as tf from '@tensorflow/tfjs-core';
import type { DifferentialProblem, Solver, StepResult } from '@pfm/core';

/** A step that also returns the drift at its end point, for first-same-as-last tableaus. */
export interface DerivativeStepResult extends StepResult {
  /** f(t1, y1), when the solver computed it as its last stage (FSAL); owned by the caller. */
  derivative?: tf.Tensor2D;
}

/**
 * A Solver of this package: the core contract plus what the `solve` driver and the models need
 * to count cost and choose step-size control.
 */
export interface FlowSolver extends Solver {
  /** Registry id (`euler`, `rk4`, `dopri5`, …). */
  readonly id: string;
  /** Drift evaluations of one step (without first-same-as-last savings). */
  readonly nfePerStep: number;
  /** Order of the embedded error estimate, if the solver returns one (e.g. 4 for dopri5). */
  readonly errorOrder?: number;
  /**
   * The step started from a known drift `f0 = f(t0, y0)` (not owned): saves one evaluation, and
   * returns `f(t1, y1)` for the next step when the last stage is evaluated at the end point.
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
export interface SdeSolver extends FlowSolver {
  readonly stochastic: true;
  /** The SDE calculus the solver converges to for multiplicative noise (identical for additive noise). */
  readonly calculus: 'ito' | 'stratonovich';
  /** One step driven by the Brownian increment `dW = W(t1) − W(t0)` (`[n, d]`, not owned). */
  stepWithIncrement(problem: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D, dW: tf.Tensor2D): StepResult;
}

/** Whether `solver` accepts explicit Brownian increments. */
export function isSdeSolver(solver: Solver): solver is SdeSolver {
  return solver.stochastic && typeof (solver as Partial<SdeSolver>).stepWithIncrement === 'function';
}
