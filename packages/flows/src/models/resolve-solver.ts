import * as tf from '@tensorflow/tfjs-core';
import type { Registry, Solver } from '@pfm/core';
import type { SamplerRef } from './sampler-schema.js';

/** The id of a registry reference `"id"` or `{ id, options }`. */
export function refId(ref: SamplerRef): string {
  return typeof ref === 'string' ? ref : ref.id;
}

/**
 * The solver of `ref` (`"id"` or `{ id, options }`), built by `registry.create` with its options;
 * `where` names the recipe field in errors (e.g. `flow-matching: options.sampler`).
 */
export function resolveSolver(registry: Registry, ref: SamplerRef, where: string): Solver {
  const id = refId(ref);
  if (!registry.has('integrator', id)) {
    const known = registry.ids('integrator');
    throw new RangeError(`${where}: unknown integrator "${id}"; known integrators: ${known.length > 0 ? known.join(', ') : '(none registered: add flowsPlugin)'}`);
  }
  // registry.create parses the options (errors at `<where>.integrator.options.<field>`) and checks the solver's shape.
  return registry.create('integrator', ref, undefined, `${where}.integrator`);
}

/** Drift evaluations of one step: declared by the solvers of this package, counted for others. */
export function nfePerStep(solver: Solver): number {
  const declared = solver.nfePerStep;
  if (typeof declared === 'number') return declared;
  let calls = 0;
  tf.tidy(() => {
    solver.step({ drift: (_t, y) => (calls++, tf.zerosLike(y)) }, 0, 1, tf.zeros([1, 1]) as tf.Tensor2D);
  });
  return calls;
}
