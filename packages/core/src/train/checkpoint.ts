// A checkpoint: a training snapshot plus what is needed to continue the run bit for bit (seed,
// batch size, loss history, rollback state, averaged weights) and to refuse resuming on other data.
import type * as tf from '@tensorflow/tfjs-core';
import type { OptimizerState } from './optimizer.js';
import type { DataFingerprint } from './data-fingerprint.js';
import { disposeSnapshot, type TrainingSnapshot } from './training-snapshot.js';

/** Everything needed to continue a run exactly where it stopped. Tensors are owned by the checkpoint. */
export interface Checkpoint {
  step: number;
  seed: number;
  steps: number;
  batchSize: number;
  /** Player variables by player name, in the player's variable order. */
  variables: Record<string, tf.Tensor[]>;
  optimizers: Record<string, OptimizerState>;
  run?: { json: Record<string, unknown>; tensors: Record<string, tf.Tensor> };
  /** Primary loss per completed step. */
  lossHistory: number[];
  /** Shape and hash of the training data (resuming on other data is refused). */
  data?: DataFingerprint;
  /** The tfjs backend that made the checkpoint (results are bitwise reproducible only on the same one). */
  backend?: string;
  /** Factor applied to every learning rate (below 1 after rollbacks). Default 1. */
  lrScale?: number;
  /** Rollbacks done so far. Default 0. */
  rollbacks?: number;
  /** The rollback target (runs with `divergence.action = 'rollback'`). */
  rollback?: TrainingSnapshot;
  /** Averaged weights θ̄ (runs with `ema`) by player name; `variables` holds the raw θ. */
  ema?: Record<string, tf.Tensor[]>;
}

/** Disposes every tensor of a checkpoint (and of its rollback snapshot). */
export function disposeCheckpoint(checkpoint: Checkpoint): void {
  disposeSnapshot(checkpoint);
  if (checkpoint.rollback) disposeSnapshot(checkpoint.rollback);
}
