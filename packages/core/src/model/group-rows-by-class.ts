// The rows of a labelled batch split by class, {i : c_i = c} for each class c present: what a
// per-class loss (a discrepancy summed over classes) or a class-restricted coupling (pairs only
// within a class) iterates over.
import * as tf from '@tensorflow/tfjs-core';

/** The rows of one class: its label and the indices of its rows, in increasing order. */
export interface ClassRows {
  readonly label: number;
  readonly rows: number[];
}

/**
 * Groups the row indices of `labels` (`[n]` int32 or float32 tensor, or numbers) by label: one
 * entry per label present, in increasing label order, each with its rows in increasing order.
 * Throws a RangeError naming `where` when `labels` is not a `[n]` tensor or holds a non-integer.
 */
export function groupRowsByClass(labels: tf.Tensor | ArrayLike<number>, where = 'labels'): ClassRows[] {
  if (labels instanceof tf.Tensor && labels.rank !== 1) {
    throw new RangeError(`${where}: expected class labels [n], got a tensor of shape [${labels.shape.join(', ')}]`);
  }
  const values = labels instanceof tf.Tensor ? labels.dataSync() : labels;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < values.length; i++) {
    const c = values[i]!;
    if (!Number.isInteger(c)) throw new RangeError(`${where}: label ${String(c)} at row ${i} is not an integer class label`);
    const rows = groups.get(c);
    if (rows) rows.push(i);
    else groups.set(c, [i]);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((label) => ({ label, rows: groups.get(label)! }));
}
