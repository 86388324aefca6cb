import type { Recipe, TrainingRun } from '@pfm/core';

/**
 * Disk space a run needs, from its parameter count P: the model file (float32 in base64, 16/3
 * bytes a value) and one checkpoint being replaced by the next (parameters and up to two optimizer
 * slots each, twice with a rollback snapshot), plus 64 KiB of JSON.
 */
export function diskSpaceNeeded(run: TrainingRun, recipe: Recipe): number {
  let values = 0;
  for (const p of run.players) for (const v of p.variables) values += v.size;
  const checkpointCopies = 3 * (recipe.divergence?.action === 'rollback' ? 2 : 1);
  return Math.ceil(values * (16 / 3) * (1 + 2 * checkpointCopies)) + 65_536;
}
