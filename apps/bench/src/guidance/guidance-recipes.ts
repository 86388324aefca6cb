// The recipes of the guidance suite: one class-conditional sampler per family, on the terms of the
// conditional tests (labelled 8gaussians), with the budget of the suite. The flows train with
// condition dropout 0.1 so that classifier-free guidance applies to them.

export const GUIDANCE_METHODS = ['flow-matching', 'ot-flow-matching', 'realnvp', 'nsf', 'energy'] as const;
export type GuidanceMethod = (typeof GUIDANCE_METHODS)[number];

/** Probability of dropping a row's class in the flows' training (Ho & Salimans 2022 use 0.1–0.2). */
export const GUIDANCE_CONDITION_DROPOUT = 0.1;

/** Whether `method`'s model takes a guidance scale at sampling (a flow trained with condition dropout). */
export function isGuided(method: GuidanceMethod): boolean {
  return method === 'flow-matching' || method === 'ot-flow-matching';
}

/** The recipe of `method` at `steps` steps and `seed`. */
export function guidanceRecipe(method: GuidanceMethod, steps: number, seed: number): Record<string, unknown> {
  const common = { steps, batchSize: 256, seed };
  switch (method) {
    case 'flow-matching':
    case 'ot-flow-matching':
      return {
        method,
        options: { conditionDropout: GUIDANCE_CONDITION_DROPOUT, sampler: { integrator: 'rk4', steps: 25 } },
        model: { hidden: [64, 64, 64], activation: 'silu' },
        optimizer: { name: 'adam', lr: 1e-3 },
        ...common,
      };
    case 'realnvp':
      return { method, options: { blocks: 4 }, model: { hidden: [32, 32] }, optimizer: { name: 'adam', lr: 3e-3 }, ...common };
    case 'nsf':
      return { method, options: {}, model: { hidden: [32, 32] }, optimizer: { name: 'adam', lr: 1e-3 }, ...common };
    case 'energy':
      return { method, model: { hidden: [32, 32] }, optimizer: { name: 'adam', lr: 3e-3 }, ...common };
  }
}
