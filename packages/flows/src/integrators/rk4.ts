// The classical Runge–Kutta method (Kutta 1901): four stages at c = 0, ½, ½, 1,
// y1 = y0 + h (k1 + 2k2 + 2k3 + k4)/6; order 4.
import type { FlowSolver } from './flow-solver.js';
import { explicitRungeKutta } from './explicit-runge-kutta.js';

/** The classical fourth-order Runge–Kutta method (four drift evaluations per step). */
export function rk4(): FlowSolver {
  return explicitRungeKutta({
    id: 'rk4',
    order: 4,
    tableau: {
      c: [0, 0.5, 0.5, 1],
      a: [[0.5], [0, 0.5], [0, 0, 1]],
      b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
    },
  });
}
