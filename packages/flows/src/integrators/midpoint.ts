// Explicit midpoint rule: y1 = y0 + h f(t0 + h/2, y0 + (h/2) f(t0, y0)); order 2 (Runge 1895).
import type { FlowSolver } from './flow-solver.js';
import { explicitRungeKutta } from './explicit-runge-kutta.js';

/** The explicit midpoint method (order 2, two drift evaluations per step). */
export function midpoint(): FlowSolver {
  return explicitRungeKutta({ id: 'midpoint', order: 2, tableau: { c: [0, 0.5], a: [[0.5]], b: [0, 1] } });
}
