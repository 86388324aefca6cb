import * as tf from '@tensorflow/tfjs-core';
import type { Registry, Solver } from '@pfm/core';
import type { FlowSolver } from '../integrators/flow-solver.js';

/** The solver registered under `id` (default options); `where` names the caller in errors. */
export function resolveSolver(registry: Registry, id: string, where: string): Solver {
  if (!registry.has('integrator', id)) {
    const known = registry.ids('integrator');
    throw new RangeError(`${where}: unknown integrator "${id}"; known integrators: ${known.length > 0 ? known.join(', ') : '(none registered: add flowsPlugin)'}`);
  }
  return registry.get('integrator', id).create(registry.parseOptions('integrator', id, {}, `${where}.integrator`));
}

/** Drift evaluations of one step: declared by the solvers of this package, counted for others. */
export function nfePerStep(solver: Solver): number {
  const declared = (solver as Partial<FlowSolver>).nfePerStep;
  if (typeof declared === 'number') return declared;
  let calls = 0;
  tf.tidy(() => {
    solver.step({ drift: (_t, y) => (calls++, tf.zerosLike(y)) }, 0, 1, tf.zeros([1, 1]) as tf.Tensor2D);
  });
  return calls;
}
