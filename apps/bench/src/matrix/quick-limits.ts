// What `pnpm bench --quick` trims so that the whole matrix (every config × 4 data sets) fits in
// 10 minutes on a 2-core machine: every config trains at most QUICK_STEPS steps, and the configs
// whose steps cost far more than a flow-matching step train fewer steps or on smaller batches.
// The reductions are printed at the start of the run and recorded in each run's config.

/** Training steps of every config under --quick (unless --steps is given). */
export const QUICK_STEPS = 200;

/** A --quick reduction of one config. */
export interface QuickLimit {
  /** At most this many training steps. */
  steps?: number;
  /** At most this batch size. */
  batchSize?: number;
  /** Why, as printed. */
  reason: string;
}

/**
 * Reductions by config name. Measured on moons (wasm, one thread, CPU seconds of a whole run,
 * training and evaluation) with the first four limits: 146 s for the 23 configs, from 2.4 s
 * (curriculum) to 15 s (nsf, 12.7 wgan-gp, 11.7 characteristic, 10.3 ot-flow-matching at 200
 * steps, hence their limits), so four data sets ≈ 10 min; with all of them ≈ 8 min.
 */
export const QUICK_LIMITS: Readonly<Record<string, QuickLimit>> = {
  cnf: { steps: 20, reason: 'continuous normalizing flow: an ODE solve with divergences per step' },
  sinkhorn: { steps: 50, batchSize: 256, reason: 'three Sinkhorn problems of batch × batch per step' },
  'flow-mle': { steps: 50, reason: 'likelihood of a flow through its ODE per step' },
  'rectified-flow': { steps: 100, reason: 'trains a teacher, integrates it to pair the data, then reflows' },
  nsf: { steps: 100, reason: 'rational-quadratic spline coupling layers' },
  'wgan-gp': { steps: 100, reason: 'critic steps and a gradient penalty per generator step' },
  characteristic: { steps: 100, reason: 'characteristic-function features of both batches per step' },
  'ot-flow-matching': { steps: 100, reason: 'an exact assignment of the minibatch per step' },
};

/** `recipe` with the --quick reductions of config `name` applied (steps capped at `maxSteps` first). */
export function quickRecipe(name: string, recipe: Record<string, unknown>, maxSteps: number): Record<string, unknown> {
  const limit = QUICK_LIMITS[name];
  const steps = Math.min(typeof recipe.steps === 'number' ? recipe.steps : 2000, maxSteps, limit?.steps ?? Infinity);
  const out: Record<string, unknown> = { ...recipe, steps };
  if (limit?.batchSize !== undefined && typeof recipe.batchSize === 'number' && recipe.batchSize > limit.batchSize) out.batchSize = limit.batchSize;
  return out;
}

/** The lines that say what --quick trims, for the configs in the run. */
export function quickNotes(names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const limit = QUICK_LIMITS[name];
    if (!limit) return [];
    const parts = [limit.steps !== undefined ? `${limit.steps} steps` : '', limit.batchSize !== undefined ? `batch ≤ ${limit.batchSize}` : ''].filter(Boolean);
    return [`  ${name}: ${parts.join(', ')} (${limit.reason})`];
  });
}
