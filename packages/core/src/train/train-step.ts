// One training step: the objective's beforeStep hook, then each player in turn (players[0] first),
// each `updatesPerStep` times, on its own minibatch. Step s draws its randomness from
// createRng(seed).fold(1).fold(s) and its minibatches are numbers s·B … s·B + B − 1 (B = updates per
// step, all players) of the seeded batch sequence, so any step can be replayed from its index alone.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingRun } from '../contracts/objective.js';
import { createRng } from '../rng/rng.js';
import type { Optimizer } from './optimizer.js';
import { BatchIndexer } from './batch-indexer.js';
import { reusableBatchArray } from './batch-rows.js';
import { updatePlayer } from './update-player.js';

/** Runs step `step` (0-based) with learning rates scaled by `lrScale`, writing each player's last loss into `losses`. */
export type TrainStep = (step: number, lrScale: number, losses: Record<string, number>) => void;

/** What a step needs besides its index. */
export interface TrainStepOptions {
  seed: number;
  batchSize: number;
  /** Total steps of the run (passed to losses and optimizer schedules). */
  steps: number;
  /** Condition rows of the data (`[N]` labels or `[N, m]` context, not owned): each batch carries its rows' conditions. */
  condition?: tf.Tensor;
}

/** Builds the step function of `run` on `data` (`[N, d]`, not owned); `optimizers[i]` updates player i. */
export function createTrainStep(run: TrainingRun, optimizers: readonly Optimizer[], data: tf.Tensor2D, options: TrainStepOptions): TrainStep {
  const { seed, batchSize, steps, condition } = options;
  if (condition !== undefined && (condition.rank < 1 || condition.shape[0] !== data.shape[0])) {
    throw new RangeError(`train: "condition" must have one row per data row (${data.shape[0]}), got shape [${condition.shape.join(', ')}]`);
  }
  const players = run.players;
  const root = createRng(seed);
  const stepRoot = root.fold(1);
  const batches = new BatchIndexer(data.shape[0], batchSize, root.fold(2));
  const updatesPerStep = players.map((p) => Math.max(1, Math.floor(p.updatesPerStep ?? 1)));
  const batchesPerStep = updatesPerStep.reduce((a, b) => a + b, 0);
  // One host copy of the data for the whole run: minibatches are row copies from it (batch-rows).
  const rows = data.dataSync() as Float32Array;
  const batchArray = reusableBatchArray(tf.getBackend(), batchSize * data.shape[1]);
  return (step, lrScale, losses) => {
    const stepRng = stepRoot.fold(step);
    let k = 0;
    run.beforeStep?.(step, stepRng.fold(0));
    for (let j = 0; j < players.length; j++) {
      for (let u = 0; u < updatesPerStep[j]!; u++, k++) {
        const idx = batches.indices(step * batchesPerStep + k);
        losses[players[j]!.name] = updatePlayer({
          player: players[j]!,
          optimizer: optimizers[j]!,
          data,
          rows,
          idx,
          ...(batchArray ? { batchArray } : {}),
          ...(condition ? { condition } : {}),
          rng: stepRng.fold(1 + 64 * j + u),
          step,
          steps,
          lrScale,
        });
      }
    }
  };
}
