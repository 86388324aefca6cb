// Heun's method (explicit trapezoid): k1 = f(t0, y0), k2 = f(t1, y0 + h k1), y1 = y0 + h (k1 + k2)/2;
// order 2, with the Euler step as embedded order-1 solution for an error estimate (Heun 1900).
import type { FlowSolver } from './flow-solver.js';
import { explicitRungeKutta } from './explicit-runge-kutta.js';

/** Heun's method (order 2, two drift evaluations per step, embedded Euler error estimate). */
export function heun(): FlowSolver {
  return explicitRungeKutta({
    id: 'heun',
    order: 2,
    errorOrder: 1,
    tableau: { c: [0, 1], a: [[1]], b: [0.5, 0.5], bEmbedded: [1, 0] },
  });
}
