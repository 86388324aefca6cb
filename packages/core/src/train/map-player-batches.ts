// A training run whose players see a transformed data batch: each player's loss is called with
// `batch` replaced by transform(input, player), everything else (variables, optimizer settings,
// critic steps, hooks, state) unchanged. This is how a wrapper changes *what* an objective is fitted
// to without touching *how* it is fitted, e.g. a curriculum that feeds the data pushed along a
// diffusion path, α(s) x + σ(s) z, to an unchanged GAN.
import type * as tf from '@tensorflow/tfjs-core';
import type { Player, StepInput, TrainingRun } from '../contracts/objective.js';

/**
 * The batch a player sees at one update: a function of that update's input (`[B, dim]` data,
 * condition rows, rng, step) and of the player. Called inside the player's loss (so inside
 * `tf.variableGrads` and a `tf.tidy`): the tensors it makes are freed with the loss's. Returning
 * `input.batch` itself leaves the player's loss exactly as it was. A transform that draws random
 * numbers must use a stream the inner loss does not (a `fold` of `input.rng` with a key of its own).
 */
export type BatchTransform = (input: StepInput, player: Player, index: number) => tf.Tensor2D;

/**
 * `run` with every player's loss evaluated on `transform(input, player, index)` instead of
 * `input.batch`. The players keep their variables (the same `tf.Variable` objects), optimizer
 * overrides and `updatesPerStep`; the run keeps its model, hooks and checkpoint state.
 *
 * @example mapPlayerBatches(run, ({ batch }) => tf.mul(batch, 0.5) as tf.Tensor2D)
 */
export function mapPlayerBatches(run: TrainingRun, transform: BatchTransform): TrainingRun {
  const players = run.players.map(
    (player, index): Player => ({
      ...player,
      loss: (input) => {
        const batch = transform(input, player, index);
        return player.loss(batch === input.batch ? input : { ...input, batch });
      },
    }),
  );
  return { ...run, players };
}
