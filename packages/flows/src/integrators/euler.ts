// Explicit Euler: y1 = y0 + h f(t0, y0); global error O(h) (Hairer, Nørsett & Wanner, I.7).
import type { FlowSolver } from './flow-solver.js';
import { explicitRungeKutta } from './explicit-runge-kutta.js';

/** The explicit Euler method (order 1, one drift evaluation per step). */
export function euler(): FlowSolver {
  return explicitRungeKutta({ id: 'euler', order: 1, tableau: { c: [0], a: [], b: [1] } });
}
