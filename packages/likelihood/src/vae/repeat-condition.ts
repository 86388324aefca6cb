// The condition rows of a batch repeated for L samples per row: row l·n + i of the result is row i
// of the batch, matching the [L·n, ·] layout of L reparameterised latents per data point.
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionBatch } from '@pfm/core';

/** `condition` (n rows) tiled `times` times (L·n rows); `undefined` stays `undefined`. Call inside tf.tidy. */
export function repeatCondition(condition: ConditionBatch | undefined, times: number): ConditionBatch | undefined {
  if (condition === undefined || times === 1) return condition;
  const { values, keep } = condition;
  return {
    values: tf.tile(values, values.rank === 1 ? [times] : [times, 1]),
    ...(keep ? { keep: tf.tile(keep, [times]) as tf.Tensor1D } : {}),
  };
}
