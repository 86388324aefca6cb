// The training recipe: the one object the CLI (--config), the benchmark, the demo and the tour
// all use to say what to train and how.
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { Model } from '../contracts/model.js';
import type { TrainingRun } from '../contracts/objective.js';
import type { ConditionSpec } from '../contracts/condition.js';
import { checkConditionRows } from '../model/condition-rows.js';
import { describeConditionSpec, parseConditionSpec, sameConditionSpec } from '../model/condition-spec.js';
import { OptionsError, formatIssues, type Registry } from '../registry/registry.js';
import { createRng } from '../rng/rng.js';
import { degenerateData, type DegenerateDataWarning } from './degenerate-data.js';
import { divergenceSchema } from './divergence.js';
import { emaSchema } from './ema.js';
import { optimizerSchema, withOptimizerEntry } from './optimizer.js';
import { withRecipeDefaults, type RecipeDataInfo } from './recipe-defaults.js';
import { train, type TrainOptions, type TrainResult } from './trainer.js';

export const networkSchema = z
  .object({
    hidden: z.array(z.number().int().positive()).optional(),
    activation: z.string().optional(),
  })
  .catchall(z.unknown());

export const recipeSchema = z
  .object({
    /** Objective id, e.g. `flow-matching`. */
    method: z.string().min(1),
    /** Options of the objective (validated by its own schema). */
    options: z.record(z.string(), z.unknown()).default({}),
    /** Network options passed to the objective (widths, activation, …). */
    model: networkSchema.default({}),
    optimizer: optimizerSchema.default(optimizerSchema.parse({})),
    steps: z.number().int().positive().default(2000),
    batchSize: z.number().int().positive().default(256),
    seed: z.number().int().default(0),
    /** What to do on a NaN/Inf loss or gradient (absent: stop). */
    divergence: divergenceSchema.optional(),
    /** Exponential moving average of the weights, used by the saved model (absent: off). */
    ema: emaSchema.optional(),
  })
  .strict();

export type Recipe = z.output<typeof recipeSchema>;
export type RecipeInput = z.input<typeof recipeSchema>;

/** The objective's suggested recipe for `data`, when the recipe names a known objective that has one. */
function suggestedDefaults(input: unknown, registry: Registry, data: RecipeDataInfo | undefined) {
  if (data === undefined || typeof input !== 'object' || input === null) return undefined;
  const method = (input as { method?: unknown }).method;
  if (typeof method !== 'string' || !registry.has('objective', method)) return undefined;
  return registry.get('objective', method).recipeDefaults?.(data);
}

/**
 * Validates a recipe and the objective's options; errors name the field. With `data`, the
 * objective's `recipeDefaults` for that data (image defaults, say) fill what the recipe leaves out,
 * before the schema's own defaults.
 */
export function parseRecipe(input: unknown, registry: Registry, where = 'config', data?: RecipeDataInfo): Recipe {
  const result = recipeSchema.safeParse(withRecipeDefaults(input, suggestedDefaults(input, registry, data)));
  if (!result.success) throw new OptionsError(`bad ${where}: ${formatIssues(result.error, where)}`);
  const recipe = result.data;
  recipe.options = registry.parseOptions('objective', recipe.method, recipe.options, `${where}.options`);
  withOptimizerEntry(recipe.optimizer, registry, `${where}.optimizer`);
  return recipe;
}

/** What the data say beyond their rows: the shape of one point when it is more than a vector. */
export interface TrainingDataInfo {
  /** `[h, w, c]` for images; its product must be the data's dimension. */
  eventShape?: readonly number[];
  /**
   * The data's condition: its spec (K classes or a context of dimension m) and the rows (`[N]`
   * int32 labels or `[N, m]` context, one per data row; not owned). The objective builds a
   * conditional model; the trainer needs the same rows (`train(run, data, { condition: rows })`).
   */
  condition?: { spec: ConditionSpec; rows: tf.Tensor };
}

/** Builds the objective's players on `data` (`[N, dim]`, not owned). */
export function createTrainingRun(recipe: Recipe, data: tf.Tensor2D, registry: Registry, info: TrainingDataInfo = {}): TrainingRun {
  const dim = data.shape[1];
  const { eventShape } = info;
  if (eventShape !== undefined) {
    const size = eventShape.reduce((a, b) => a * b, 1);
    if (eventShape.length === 0 || !eventShape.every((s) => Number.isInteger(s) && s > 0) || size !== dim) {
      throw new RangeError(`eventShape [${eventShape.join(', ')}] does not describe data of dimension ${dim} (expected positive integers whose product is ${dim})`);
    }
  }
  const condition = info.condition;
  let spec: ConditionSpec | undefined;
  if (condition !== undefined) {
    spec = parseConditionSpec(condition.spec, 'condition.spec');
    checkConditionRows(spec, condition.rows, data.shape[0], 'condition.rows');
  }
  const context = {
    dim,
    ...(eventShape !== undefined ? { eventShape: [...eventShape] } : {}),
    rng: createRng(recipe.seed).fold(0),
    network: recipe.model,
    data,
    steps: recipe.steps,
    ...(spec !== undefined ? { condition: spec, conditionRows: condition!.rows } : {}),
  };
  const run = registry.create('objective', { id: recipe.method, options: recipe.options }, context, { id: 'config.method', options: 'config.options' });
  if (!sameConditionSpec(run.model.condition, spec)) {
    run.dispose?.();
    run.model.dispose();
    throw new OptionsError(
      spec !== undefined
        ? `bad config: config.method: "${recipe.method}" does not support conditional data (${describeConditionSpec(spec)}); use a method that does (the flow-matching family, score-sde, distill, curriculum, realnvp, nsf, vae, iwae, the statistics-matching generators, gan, wgan-gp) or drop the condition`
        : `bad config: config.method: "${recipe.method}" built a model conditioned on ${describeConditionSpec(run.model.condition)} from data without a condition`,
    );
  }
  return run;
}

export interface TrainedModel {
  model: Model;
  result: TrainResult;
  recipe: Recipe;
  /** What is degenerate about the data (one point, fewer points than the batch or the dimension, …); empty when nothing is. */
  warnings: DegenerateDataWarning[];
}

/**
 * Parses `recipe`, builds the objective and trains it on `data`. The caller owns the model.
 * Degenerate data (see degenerateData) still train; each finding goes to `onWarning` before the
 * run and is listed in the result's `warnings`.
 * `recipe` is typed by the schema's input (`RecipeInput`, defaults optional) so editors complete
 * its fields; it is still validated at run time, like a recipe read from JSON.
 */
export async function trainRecipe(
  recipe: RecipeInput,
  data: tf.Tensor2D,
  options: { registry: Registry } & TrainingDataInfo & Omit<TrainOptions, 'steps' | 'batchSize' | 'seed' | 'optimizer' | 'divergence' | 'ema' | 'condition'>,
): Promise<TrainedModel> {
  const { registry, eventShape, condition, ...trainOptions } = options;
  const parsed = parseRecipe(recipe, registry, 'config', { dim: data.shape[1], ...(eventShape !== undefined ? { eventShape } : {}) });
  const [rows, cols] = data.shape;
  const warnings = data.rank === 2 ? degenerateData(data.dataSync(), rows, cols, { batchSize: parsed.batchSize, images: eventShape !== undefined }) : [];
  for (const warning of warnings) trainOptions.onWarning?.(warning.message);
  const run = createTrainingRun(parsed, data, registry, { ...(eventShape !== undefined ? { eventShape } : {}), ...(condition !== undefined ? { condition } : {}) });
  try {
    const result = await train(run, data, {
      ...trainOptions,
      ...(condition !== undefined ? { condition: condition.rows } : {}),
      steps: parsed.steps,
      batchSize: parsed.batchSize,
      seed: parsed.seed,
      optimizer: withOptimizerEntry(parsed.optimizer, registry),
      ...(parsed.divergence ? { divergence: parsed.divergence } : {}),
      ...(parsed.ema ? { ema: parsed.ema } : {}),
    });
    return { model: run.model, result, recipe: parsed, warnings };
  } catch (error) {
    (error as { model?: Model }).model = run.model;
    throw error;
  } finally {
    run.dispose?.();
  }
}
