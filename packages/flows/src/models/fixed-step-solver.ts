import type { Registry, Solver } from '@pfm/core';
import { refId, resolveSolver } from './resolve-solver.js';
import type { SamplerOptions } from './sampler-schema.js';

/**
 * The ODE solver of a sampler field that is integrated with fixed steps only (a CNF's likelihood
 * solves, rectified flow's reflow pairs). Throws, naming the recipe field `where`
 * (`cnf: options.train`), for an unknown integrator, an SDE integrator, or `rtol`/`atol` (adaptive
 * stepping, which these solves do not do: the tolerances would otherwise be ignored silently).
 */
export function fixedStepSolver(registry: Registry, sampler: SamplerOptions, where: string): Solver {
  for (const name of ['rtol', 'atol'] as const) {
    const value = sampler[name];
    if (value !== undefined) {
      throw new TypeError(`${where}.${name}: got ${value}, but this solve takes fixed steps only; drop rtol/atol and set "steps" (now ${sampler.steps})`);
    }
  }
  const solver = resolveSolver(registry, sampler.integrator, where);
  if (solver.stochastic) {
    throw new TypeError(`${where}.integrator: "${refId(sampler.integrator)}" is an SDE integrator; this solve needs an ODE integrator (euler, midpoint, heun, rk4, dopri5)`);
  }
  return solver;
}
