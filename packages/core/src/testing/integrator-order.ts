// Empirical order of a one-step solver (diffrax's table-driven test): on the linear ODE
// dy/dt = A y, y(0) = y₀, with A a damped rotation so y(1) = e^{A} y₀ is known in closed form,
// the global error at t = 1 behaves like C hᵖ; the least-squares slope of log error against
// log h estimates p.
import * as tf from '@tensorflow/tfjs-core';
import type { Solver } from '../contracts/integrator.js';
import { dampedRotation } from './damped-rotation.js';
import { logLogSlope } from './log-log-slope.js';

export interface IntegratorOrderResult {
  /** Least-squares slope of log error against log step size. */
  slope: number;
  steps: number[];
  errors: number[];
}

/** The empirical order of `solver` on a linear test problem (float64 host reference). */
export function measureIntegratorOrder(solver: Solver, options: { steps?: number[] } = {}): IntegratorOrderResult {
  const steps = options.steps ?? [4, 8, 16, 32];
  const y0 = [1, 0.5];
  const { problem, exact } = dampedRotation(0.5, 2);
  const want = exact(y0, 1);
  const errors = steps.map((k) =>
    tf.tidy(() => {
      let y = tf.tensor2d([y0], [1, 2]);
      for (let i = 0; i < k; i++) y = solver.step(problem, i / k, (i + 1) / k, y).y;
      const v = y.dataSync();
      return Math.hypot(v[0]! - want[0]!, v[1]! - want[1]!);
    }),
  );
  return { slope: logLogSlope(steps.map((k) => 1 / k), errors), steps, errors };
}

/**
 * Throws if the empirical order differs from the declared `solver.order` by more than
 * `tolerance` (default 0.35). Choose `steps` so the errors stay well above float32 round-off
 * (about 1e-6): high-order solvers need few steps.
 */
export function checkIntegratorOrder(
  solver: Solver,
  options: { steps?: number[]; tolerance?: number; name?: string } = {},
): IntegratorOrderResult {
  const result = measureIntegratorOrder(solver, options);
  const tol = options.tolerance ?? 0.35;
  if (!(Math.abs(result.slope - solver.order) <= tol)) {
    throw new Error(
      `${options.name ?? 'solver'}: declared order ${solver.order}, measured ${result.slope.toFixed(2)} (errors ${result.errors.map((e) => e.toExponential(2)).join(', ')} at steps ${result.steps.join(', ')})`,
    );
  }
  return result;
}
