import type { RecipeInput } from '@pfm/core';

/**
 * The curriculum recipe the tests train: 4 levels, a 2×32 SiLU generator, Adam, 200 steps; the
 * learning rate, batch and seed are the test's own.
 */
export function curriculumRecipe(settings: { lr: number; batchSize: number; seed: number }): RecipeInput {
  return {
    method: 'curriculum',
    options: { levels: 4 },
    model: { hidden: [32, 32], activation: 'silu' },
    optimizer: { name: 'adam', lr: settings.lr },
    steps: 200,
    batchSize: settings.batchSize,
    seed: settings.seed,
  };
}
