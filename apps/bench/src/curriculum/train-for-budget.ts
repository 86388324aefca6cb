// Training runs of the curriculum suite under one of its two budgets: a number of steps (the run
// must finish them all) or a number of CPU seconds of this process (the run is stopped after the
// step that reaches them). CPU time, not wall time, is the clock of the time budget: on a shared
// machine the wall time of a step depends on what else runs, its CPU time much less, so two runs
// given "the same time" at different moments still get the same computation.
import type * as tf from '@tensorflow/tfjs-core';
import { trainRecipe, type Model, type RecipeInput, type Registry, type TrainingDataInfo } from '@pfm/core';

/** What a run is allowed: every one of `recipe.steps` steps, or steps until `cpuSeconds` of CPU time are spent. */
export type TrainingBudget = { kind: 'steps' } | { kind: 'time'; cpuSeconds: number };

/** A trained model (owned by the caller) with the steps it did and the wall and CPU seconds they took. */
export interface BudgetedRun {
  model: Model;
  steps: number;
  seconds: number;
  cpuSeconds: number;
}

/** CPU seconds (user + system) of this process since `start` (a `process.cpuUsage()` reading). */
export function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * Trains `recipe` on `data` (not owned; `info.eventShape` for images) within `budget`. Under a
 * steps budget every step must run (a run stopped early is an error). Under a time budget
 * `recipe.steps` is the cap (reaching it is an error: the cap was too low to spend the time) and
 * the run stops after the first step at which `cpuSeconds` have been used. Throws when training fails.
 */
export async function trainForBudget(recipe: Record<string, unknown>, data: tf.Tensor2D, registry: Registry, budget: TrainingBudget, info: TrainingDataInfo = {}): Promise<BudgetedRun> {
  if (budget.kind === 'time' && !(Number.isFinite(budget.cpuSeconds) && budget.cpuSeconds > 0)) throw new Error(`budget.cpuSeconds must be a positive number of seconds, got ${budget.cpuSeconds}`);
  const start = process.cpuUsage();
  const stop = new AbortController();
  const clock =
    budget.kind === 'time'
      ? {
          signal: stop.signal,
          progressEvery: 1,
          onProgress: () => {
            if (cpuSecondsSince(start) >= budget.cpuSeconds) stop.abort();
          },
        }
      : {};
  let trained;
  try {
    // A JSON recipe: trainRecipe validates it at run time.
    trained = await trainRecipe(recipe as RecipeInput, data, { registry, ...info, ...clock });
  } catch (error) {
    (error as { model?: Model }).model?.dispose();
    throw error;
  }
  const { model, result } = trained;
  if (budget.kind === 'steps') {
    if (result.status !== 'completed') {
      model.dispose();
      throw new Error(`training ${result.status} after ${result.steps} steps`);
    }
    return { model, steps: result.steps, seconds: result.seconds, cpuSeconds: cpuSecondsSince(start) };
  }
  if (result.status === 'completed') {
    model.dispose();
    throw new Error(`the step cap ${result.steps} was reached before ${budget.cpuSeconds.toFixed(1)} CPU seconds were spent (${cpuSecondsSince(start).toFixed(1)} s)`);
  }
  return { model, steps: result.steps, seconds: result.seconds, cpuSeconds: cpuSecondsSince(start) };
}
