// Trains a JSON recipe and returns the model only when every step ran: the suites compare finished
// runs, so a run stopped early is an error, and its half-trained model is freed.
import type * as tf from '@tensorflow/tfjs-core';
import { trainRecipe, type Model, type RecipeInput, type Registry, type TrainingDataInfo } from '@pfm/core';

/**
 * Trains `recipe` on `data` (not owned; `condition` gives its rows' classes or context); the caller
 * owns the model. Throws when training fails or stops early.
 */
export async function trainToCompletion(
  recipe: Record<string, unknown>,
  data: tf.Tensor2D,
  registry: Registry,
  condition?: TrainingDataInfo['condition'],
): Promise<{ model: Model; seconds: number }> {
  let trained;
  try {
    // A JSON recipe: trainRecipe validates it at run time.
    trained = await trainRecipe(recipe as RecipeInput, data, { registry, ...(condition ? { condition } : {}) });
  } catch (error) {
    (error as { model?: Model }).model?.dispose();
    throw error;
  }
  if (trained.result.status !== 'completed') {
    trained.model.dispose();
    throw new Error(`training ${trained.result.status} after ${trained.result.steps} steps`);
  }
  return { model: trained.model, seconds: trained.result.seconds };
}
