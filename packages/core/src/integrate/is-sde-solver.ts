import type { SdeSolver, Solver } from '../contracts/integrator.js';

/** Whether `solver` accepts explicit Brownian increments (`stepWithIncrement`). */
export function isSdeSolver(solver: Solver): solver is SdeSolver {
  return solver.stochastic && typeof (solver as Partial<SdeSolver>).stepWithIncrement === 'function';
}
