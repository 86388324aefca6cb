// The recipe the page switches to when the data are images: a one-step generator trained by the
// energy distance (no critic, no integrator: the quickest of the image methods per step), with the
// image networks each objective picks by default (a conv-generator from a 64-d latent), a short
// budget of 150 steps of 64 images (under a minute on wasm on a laptop).
import type { RecipeInput } from '@pfm/core';

/** A short-budget training recipe for image data. */
export function imageRecipe(): RecipeInput {
  return {
    method: 'energy',
    options: {},
    model: {},
    optimizer: { name: 'adam', lr: 2e-3 },
    steps: 150,
    batchSize: 64,
    seed: 0,
  };
}
