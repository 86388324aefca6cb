// Dormand–Prince 5(4) (Dormand & Prince 1980, J. Comput. Appl. Math. 6; the tableau of Hairer,
// Nørsett & Wanner I, Table II.5.2): a 7-stage order-5 solution with an embedded order-4 one for the
// local error estimate; first same as last, so an accepted step costs 6 new drift evaluations.
import type { FlowSolver } from './flow-solver.js';
import { explicitRungeKutta } from './explicit-runge-kutta.js';

/**
 * Dormand–Prince 5(4). With fixed steps it is a 7-evaluation order-5 method; the `solve`
 * driver's adaptive mode uses its error estimate with a step-size controller and reuses the
 * last stage (6 evaluations per accepted step).
 */
export function dopri5(): FlowSolver {
  const b = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0];
  return explicitRungeKutta({
    id: 'dopri5',
    order: 5,
    errorOrder: 4,
    tableau: {
      c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
      a: [
        [1 / 5],
        [3 / 40, 9 / 40],
        [44 / 45, -56 / 15, 32 / 9],
        [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
        [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
        b.slice(0, 6),
      ],
      b,
      bEmbedded: [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40],
    },
  });
}
