// The recipes of the curriculum suite. Every run has the same generator network, optimiser, batch
// and number of steps; "curriculum" wraps the same objective (options unchanged) in the diffusion-path
// curriculum of the paper (section 4), so the only difference is the data each step sees.
// The curriculum's schedule: the first ⌈T/20⌉ steps fit φ to the identity (noise → noise), then
// 4 levels evenly spaced in signal (α from α(1) ≈ 0.006 to 1), the first three with ⌊T'/6⌋ steps each
// and the last (the data) with the rest, ≈ T/2: half the budget walks the path, half fits the data.
// The `short` schedule walks the same levels with ⌊T'/20⌋ steps each, leaving ≈ 80 % to the data.

export const CURRICULUM_OBJECTIVES = ['gan', 'wgan-gp', 'wgan-gp-one-sided', 'energy', 'mmd'] as const;
export type CurriculumObjective = (typeof CURRICULUM_OBJECTIVES)[number];
/** The reference lines: the flow-matching flow sampled with 100 Euler steps, and its one-step distillation. */
export const CURRICULUM_REFERENCES = ['flow-100', 'distill'] as const;
export type CurriculumReference = (typeof CURRICULUM_REFERENCES)[number];

const OPTIMIZER = { name: 'adam', lr: 1e-3 } as const;
const NETWORK = { hidden: [64, 64, 64], activation: 'silu' } as const;
/** Euler steps of the reference flow's sampler. */
export const FLOW_SAMPLER = { integrator: 'euler', steps: 100 } as const;

/** How the curriculum splits its steps: `even` (half on the path) or `short` (a fifth on the path). */
export const CURRICULUM_SCHEDULES = ['even', 'short'] as const;
export type CurriculumSchedule = (typeof CURRICULUM_SCHEDULES)[number];

/** The registry objective and options of a suite objective. */
export function innerObjective(objective: CurriculumObjective): { id: string; options: Record<string, unknown> } {
  if (objective === 'wgan-gp-one-sided') return { id: 'wgan-gp', options: { penaltySide: 'one-sided' } };
  return { id: objective, options: {} };
}

/** The curriculum's schedule for `steps` training steps (see the file comment). */
export function curriculumSchedule(steps: number, schedule: CurriculumSchedule = 'even'): { levels: number; stepsPerLevel: number[]; init: 'identity'; identitySteps: number } {
  const identitySteps = Math.max(1, Math.ceil(steps / 20));
  const budget = steps - identitySteps;
  const early = Math.floor(budget / (schedule === 'even' ? 6 : 20));
  if (early < 1) throw new Error(`--steps ${steps}: the ${schedule} curriculum needs at least ${schedule === 'even' ? 8 : 22} steps (identity steps and 4 levels)`);
  return { levels: 4, stepsPerLevel: [early, early, early, budget - 3 * early], init: 'identity', identitySteps };
}

/**
 * The recipe of `objective`, plain (`curriculum` false) or wrapped in the curriculum with the given
 * schedule (true is `even`), for `steps` steps of `batchSize`.
 */
export function objectiveRecipe(objective: CurriculumObjective, curriculum: boolean | CurriculumSchedule, steps: number, batchSize: number): Record<string, unknown> {
  const inner = innerObjective(objective);
  const common = { model: { ...NETWORK }, optimizer: { ...OPTIMIZER }, steps, batchSize, seed: 0 };
  if (curriculum === false) return { method: inner.id, options: inner.options, ...common };
  return { method: 'curriculum', options: { objective: inner, ...curriculumSchedule(steps, curriculum === true ? 'even' : curriculum) }, ...common };
}

/** The reference flow's recipe (flow matching, σ = 0) and its distillation's (`teacher` filled by the caller). */
export function referenceRecipe(reference: CurriculumReference, steps: number, batchSize: number): Record<string, unknown> {
  const common = { model: { ...NETWORK }, optimizer: { ...OPTIMIZER }, steps, batchSize, seed: 0 };
  return reference === 'flow-100' ? { method: 'flow-matching', options: { sigma: 0 }, ...common } : { method: 'distill', options: { mode: 'direct', teacherIntegrator: FLOW_SAMPLER.integrator, teacherSteps: FLOW_SAMPLER.steps }, ...common };
}
