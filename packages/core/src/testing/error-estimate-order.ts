// Order of an embedded error estimate (Hairer, Nørsett & Wanner I, II.4): for a pair of orders
// p(q), the estimate e = h Σ (b_i − b̂_i) k_i of one step is dominated by the lower-order solution's
// local error, so |e(h)| ≈ C h^(q+1); the least-squares slope of log |e| against log h,
// minus one, estimates the declared `errorOrder` q. One step of the damped rotation from y₀.
import * as tf from '@tensorflow/tfjs-core';
import type { Solver } from '../contracts/integrator.js';
import { dampedRotation } from './damped-rotation.js';
import { logLogSlope } from './log-log-slope.js';

/** Options of {@link measureErrorEstimateOrder} and {@link checkErrorEstimateOrder}. */
export interface ErrorEstimateOrderOptions {
  /** Step sizes h of the single steps (default 0.8, 0.4, 0.2, 0.1). */
  sizes?: number[];
  /** Largest accepted |measured − declared errorOrder| (default 0.35). */
  tolerance?: number;
  /** Name in the error message. */
  name?: string;
}

/** Step sizes, the norms of the estimates and the order q they imply. */
export interface ErrorEstimateOrderResult {
  /** Slope of log |e| against log h, minus one. */
  order: number;
  sizes: number[];
  errors: number[];
}

/** The measured order q of `solver`'s embedded error estimate (it must return `error`). */
export function measureErrorEstimateOrder(solver: Solver, options: ErrorEstimateOrderOptions = {}): ErrorEstimateOrderResult {
  const sizes = options.sizes ?? [0.8, 0.4, 0.2, 0.1];
  const { problem } = dampedRotation(0.5, 2);
  const name = options.name ?? solver.id ?? 'solver';
  const errors = sizes.map((h) =>
    tf.tidy(() => {
      const result = solver.step(problem, 0, h, tf.tensor2d([[1, 0.5]]));
      if (!result.error) throw new TypeError(`${name}: declares errorOrder ${String(solver.errorOrder)} but its step returned no "error" estimate`);
      return Math.sqrt(tf.sum(tf.square(result.error)).dataSync()[0]!);
    }),
  );
  return { order: logLogSlope(sizes, errors) - 1, sizes, errors };
}

/** Throws if `solver` declares no `errorOrder` or its estimate's measured order differs from it by more than `tolerance`. */
export function checkErrorEstimateOrder(solver: Solver, options: ErrorEstimateOrderOptions = {}): ErrorEstimateOrderResult {
  const name = options.name ?? solver.id ?? 'solver';
  if (solver.errorOrder === undefined) throw new TypeError(`${name}: declares no errorOrder, so it has no error estimate to check`);
  const result = measureErrorEstimateOrder(solver, options);
  const tol = options.tolerance ?? 0.35;
  if (!(Math.abs(result.order - solver.errorOrder) <= tol)) {
    throw new Error(
      `${name}: declared error-estimate order ${solver.errorOrder}, measured ${result.order.toFixed(2)} (|error| ${result.errors.map((e) => e.toExponential(2)).join(', ')} at h = ${result.sizes.join(', ')})`,
    );
  }
  return result;
}
