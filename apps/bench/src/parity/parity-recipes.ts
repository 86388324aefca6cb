// The recipes of the parity suite: one JSON object per method, read as it is by pfm's
// `trainRecipe` and by the PyTorch twin (`reference/parity-twin.py`), so both train the same
// network, loss, optimiser, batch and steps. Options left out take pfm's defaults, which the twin
// mirrors — a default that scales with the dimension is exercised as a user would meet it.

export const PARITY_METHODS = ['flow-matching', 'ot-flow-matching', 'realnvp', 'nsf', 'energy', 'distill'] as const;
export type ParityMethod = (typeof PARITY_METHODS)[number];

/**
 * Methods whose test NLL comes from an ODE with the exact divergence (a flow field) rather than a
 * closed-form density: costly in d (d Jacobian-vector products per step on every held-out point),
 * and the twin computes none for them.
 */
export function nllNeedsOde(method: ParityMethod): boolean {
  return method === 'flow-matching' || method === 'ot-flow-matching';
}

/** Optimiser, batch and network of the setup (the [SF]2M 2-D recipe). */
const OPTIMIZER = { name: 'adamw', lr: 1e-3, weightDecay: 1e-5 } as const;
const BATCH_SIZE = 512;
const ONE_NETWORK = { hidden: [64, 64, 64], activation: 'selu' } as const;

/** The recipe of `method` with `steps` training steps (the seed is set per run). */
export function parityRecipe(method: ParityMethod, steps: number): Record<string, unknown> {
  const common = { optimizer: { ...OPTIMIZER }, steps, batchSize: BATCH_SIZE, seed: 0 };
  switch (method) {
    case 'flow-matching':
    case 'ot-flow-matching':
      return { method, options: { sigma: 0 }, model: { ...ONE_NETWORK }, ...common };
    case 'realnvp':
    case 'nsf':
      // Coupling count, mixing layers and conditioner widths: pfm's defaults.
      return { method, options: {}, model: {}, ...common };
    case 'energy':
      return { method, options: {}, model: { ...ONE_NETWORK }, ...common };
    case 'distill':
      // `options.teacher` is filled with the trained teacher (pfm) or given as --teacher-recipe (twin).
      return { method, options: { mode: 'direct' }, model: { ...ONE_NETWORK }, ...common };
  }
}

/** The teacher recipe of a method that distils one (`distill`: flow matching, same steps). */
export function parityTeacherRecipe(method: ParityMethod, steps: number): Record<string, unknown> | undefined {
  return method === 'distill' ? parityRecipe('flow-matching', steps) : undefined;
}
