// Recipe defaults that depend on the data: an objective may suggest steps, batch size, optimizer,
// EMA or its own options for a kind of data (images above all), under what the user wrote.
import { isImageShape } from '../model/network-spec.js';

/** What an objective may know of the data before it suggests a recipe. */
export interface RecipeDataInfo {
  /** Dimension of one flattened point. */
  dim: number;
  /** `[h, w, c]` for images. */
  eventShape?: readonly number[];
}

/**
 * Recipe fields an objective suggests for some data (`ObjectiveEntry.recipeDefaults`). Plain JSON,
 * validated with the rest of the recipe once merged.
 */
export interface RecipeDefaults {
  steps?: number;
  batchSize?: number;
  optimizer?: Record<string, unknown>;
  options?: Record<string, unknown>;
  model?: Record<string, unknown>;
  ema?: { decay: number; warmupSteps?: number };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The user's optimizer over the suggested one, key by key, unless the user chose another optimizer. */
function mergeOptimizer(suggested: Record<string, unknown>, given: unknown): unknown {
  if (given === undefined) return { ...suggested };
  if (!isRecord(given) || 'id' in given) return given;
  const name = given.name ?? suggested.name;
  if (name !== suggested.name) return given;
  return { ...suggested, ...given };
}

/**
 * `input` with `defaults` under it: a top-level field the input gives wins; `options`, `model`
 * and `ema` are merged key by key (the input's keys win); `optimizer` too, unless the input names
 * another optimizer (then the input's is kept whole). Anything malformed is left for the recipe
 * schema to report.
 */
export function withRecipeDefaults(input: unknown, defaults: RecipeDefaults | undefined): unknown {
  if (defaults === undefined || !isRecord(input)) return input;
  const out: Record<string, unknown> = { ...input };
  for (const key of ['steps', 'batchSize'] as const) {
    if (out[key] === undefined && defaults[key] !== undefined) out[key] = defaults[key];
  }
  for (const key of ['options', 'model', 'ema'] as const) {
    const suggested = defaults[key];
    if (suggested === undefined) continue;
    const given = out[key];
    if (given === undefined) out[key] = { ...suggested };
    else if (isRecord(given)) out[key] = { ...suggested, ...given };
  }
  if (defaults.optimizer !== undefined) out.optimizer = mergeOptimizer(defaults.optimizer, out.optimizer);
  return out;
}

/**
 * `recipeDefaults` that suggest `defaults` on images (an `[h, w, c]` event shape) and nothing on
 * vectors: `defineObjective({ …, recipeDefaults: onImages({ batchSize: 64 }) })`.
 */
export function onImages(defaults: RecipeDefaults): (data: RecipeDataInfo) => RecipeDefaults | undefined {
  return (data) => (isImageShape(data.eventShape) ? structuredClone(defaults) : undefined);
}

/** Minibatch size of image training: an image step costs in proportion to its batch, so more, smaller steps. */
export const IMAGE_BATCH_SIZE = 64;

/**
 * The batch of one-step image generators (statistics matching, GANs, distillation, curriculum):
 * minibatches of {@link IMAGE_BATCH_SIZE} and no weight average (see {@link IMAGE_FIELD_DEFAULTS}
 * for why). Use as `recipeDefaults: onImages(IMAGE_GENERATOR_DEFAULTS)`.
 */
export const IMAGE_GENERATOR_DEFAULTS: Readonly<RecipeDefaults> = Object.freeze({ batchSize: IMAGE_BATCH_SIZE });

/**
 * The batch and weight average of image velocity and score fields: minibatches of 64 and an EMA of
 * the weights with decay 0.999 after 100 steps (DDPM, Ho et al. 2020, App. B, samples with an
 * average too; 0.999 suits budgets of thousands of steps rather than DDPM's 0.9999 over 800k).
 * One-step generators take the batch only: on MNIST an EMA did not help them at these budgets
 * (PyTorch twin, FLD on the test digits: energy 36.3 without, 37.0 with, at 1,000 steps of 128;
 * GAN 59.9 without, 64.2 with, at 600 steps of 64).
 */
export const IMAGE_FIELD_DEFAULTS: Readonly<RecipeDefaults> = Object.freeze({
  batchSize: IMAGE_BATCH_SIZE,
  ema: Object.freeze({ decay: 0.999, warmupSteps: 100 }),
});
