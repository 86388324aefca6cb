import * as tf from '@tensorflow/tfjs-core';
import type { Updates } from './gradient-transformation.js';

/**
 * One tensor per variable from `updates` (`Σₖ fl(sₖ·aₖ)`, summed in term order). A single term of
 * scale 1 is returned as it is (not copied). Call inside `tf.tidy`.
 */
export function resolveUpdates(updates: Updates): tf.Tensor[] {
  if (updates.length === 0) throw new RangeError('resolveUpdates: "updates" has no terms, expected at least one');
  if (updates.length === 1 && updates[0]!.scale === 1) return [...updates[0]!.values];
  const scaled = (k: number, i: number) => {
    const term = updates[k]!;
    return term.scale === 1 ? term.values[i]! : tf.mul(term.values[i]!, term.scale);
  };
  return updates[0]!.values.map((_, i) => {
    let sum = scaled(0, i);
    for (let k = 1; k < updates.length; k++) sum = tf.add(sum, scaled(k, i));
    return sum;
  });
}
