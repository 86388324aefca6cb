import { isPlainRecord } from './is-plain-record.js';

/** What the command line says about the recipe: a --config object and the flags that override it. */
export interface RecipeInputs {
  config?: Record<string, unknown>;
  method?: string;
  steps?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  /** --on-divergence (divergence.action). */
  onDivergence?: 'stop' | 'rollback';
  /** --max-rollbacks (divergence.maxRollbacks). */
  maxRollbacks?: number;
  /** --rollback-lr-factor (divergence.lrFactor). */
  rollbackLrFactor?: number;
  /** --ema-decay (ema.decay: average the weights, and sample with the average). */
  emaDecay?: number;
  /** The teacher's model file, as the JSON document (options.teacher of distillation methods). */
  teacher?: Record<string, unknown>;
}

/** Whether any recipe flag or a config was given. */
export function hasRecipeInputs(inputs: RecipeInputs): boolean {
  return Object.values(inputs).some((v) => v !== undefined);
}

/**
 * The raw recipe (before validation): `base` (the --config object, or the recipe of the checkpoint
 * being resumed), then each flag given on top: --method, --steps, --batch-size, --seed,
 * --lr (optimizer.lr), --on-divergence, --max-rollbacks, --rollback-lr-factor (divergence.action,
 * .maxRollbacks, .lrFactor), --ema-decay (ema.decay) and --teacher (options.teacher).
 */
export function recipeFromInputs(inputs: RecipeInputs, base: Record<string, unknown> = {}): Record<string, unknown> {
  const recipe: Record<string, unknown> = { ...base };
  if (inputs.method !== undefined) recipe.method = inputs.method;
  if (inputs.steps !== undefined) recipe.steps = inputs.steps;
  if (inputs.batchSize !== undefined) recipe.batchSize = inputs.batchSize;
  if (inputs.seed !== undefined) recipe.seed = inputs.seed;
  if (inputs.lr !== undefined) {
    recipe.optimizer = isPlainRecord(recipe.optimizer) ? { ...recipe.optimizer, lr: inputs.lr } : recipe.optimizer === undefined ? { lr: inputs.lr } : recipe.optimizer;
  }
  const divergence: Record<string, unknown> = {};
  if (inputs.onDivergence !== undefined) divergence.action = inputs.onDivergence;
  if (inputs.maxRollbacks !== undefined) divergence.maxRollbacks = inputs.maxRollbacks;
  if (inputs.rollbackLrFactor !== undefined) divergence.lrFactor = inputs.rollbackLrFactor;
  if (Object.keys(divergence).length > 0) {
    recipe.divergence = isPlainRecord(recipe.divergence) ? { ...recipe.divergence, ...divergence } : recipe.divergence === undefined ? divergence : recipe.divergence;
  }
  if (inputs.emaDecay !== undefined) {
    recipe.ema = isPlainRecord(recipe.ema) ? { ...recipe.ema, decay: inputs.emaDecay } : recipe.ema === undefined ? { decay: inputs.emaDecay } : recipe.ema;
  }
  if (inputs.teacher !== undefined) {
    recipe.options = isPlainRecord(recipe.options) ? { ...recipe.options, teacher: inputs.teacher } : recipe.options === undefined ? { teacher: inputs.teacher } : recipe.options;
  }
  return recipe;
}
