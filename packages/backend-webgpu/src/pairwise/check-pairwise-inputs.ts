// The input checks shared by the fused pairwise kernels: two float32 point clouds of the same
// dimension d (1 ≤ d ≤ MAX_DIM), and per-row weight vectors of the right length.
import type * as tf from '@tensorflow/tfjs-core';
import { MAX_DIM } from './pairwise-distance-programs.js';

/** Checks two point clouds `[rows, d]` (named, in order) of one dimension; returns d. */
export function checkPointInputs(kernel: string, named: Record<string, tf.TensorInfo>): number {
  const [first, second] = Object.entries(named);
  const d = first![1].shape[1];
  for (const [name, t] of [first!, second!]) {
    if (t.shape.length !== 2 || t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be a float32 [rows, d] tensor, got ${t.dtype} [${t.shape.join(', ')}]`);
    if (t.shape[1] !== d) throw new Error(`${kernel}: ${name} must have ${d} columns like ${first![0]}, got [${t.shape.join(', ')}]`);
  }
  if (d === undefined || d < 1 || d > MAX_DIM) throw new Error(`${kernel}: the point dimension must be 1 to ${MAX_DIM}, got ${d}`);
  return d;
}

/** Checks that `t` is a float32 vector of `length` values (each a `what`), one per row of `rowsOf`. */
export function checkRowWeights(kernel: string, name: string, t: tf.TensorInfo, length: number, rowsOf: string, what = 'value'): void {
  if (t.shape.length !== 1 || t.shape[0] !== length || t.dtype !== 'float32') {
    throw new Error(`${kernel}: ${name} must be a float32 [${length}] tensor (one ${what} per row of ${rowsOf}), got ${t.dtype} [${t.shape.join(', ')}]`);
  }
}
