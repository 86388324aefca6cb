// Which coordinates a coupling layer transforms and which condition it (Dinh et al. 2017, §3.4):
// x_T = g(z_T; θ(z_K)), x_K = z_K. Columns are selected and put back exactly (0/1 matrices on
// narrow data, gathers on wide data: see take-columns.ts), differentiably on every backend.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { selectColumns } from './take-columns.js';

export { selectionMatrix } from './take-columns.js';

/**
 * The coordinates a coupling transforms (the others condition them): `odd` / `even` indices
 * (alternating masks), or `upper` (indices ≥ ⌊d/2⌋) / `lower` (indices < ⌊d/2⌋) halves.
 */
export const COUPLING_MASKS = ['odd', 'even', 'upper', 'lower'] as const;
/** A coupling mask name (see COUPLING_MASKS). */
export type CouplingMask = (typeof COUPLING_MASKS)[number];
/** Zod schema of a coupling mask name. */
export const couplingMaskSchema = z.enum(COUPLING_MASKS);

/** Kept (conditioning) and transformed coordinate indices of a mask in dimension `dim`. */
export interface CouplingPartition {
  kept: number[];
  transformed: number[];
}

/** Splits {0, …, dim − 1} by `mask`; throws when either part would be empty. */
export function couplingPartition(dim: number, mask: CouplingMask, where: string): CouplingPartition {
  const half = Math.floor(dim / 2);
  const isTransformed = (i: number): boolean => {
    switch (mask) {
      case 'odd':
        return i % 2 === 1;
      case 'even':
        return i % 2 === 0;
      case 'upper':
        return i >= half;
      case 'lower':
        return i < half;
    }
  };
  const kept: number[] = [];
  const transformed: number[] = [];
  for (let i = 0; i < dim; i++) (isTransformed(i) ? transformed : kept).push(i);
  if (kept.length === 0 || transformed.length === 0) {
    throw new RangeError(`${where}: mask "${mask}" in dimension ${dim} leaves nothing to ${kept.length === 0 ? 'condition on' : 'transform'}; a coupling needs dim ≥ 2`);
  }
  return { kept, transformed };
}

/** Column selectors for a partition: split `[n, d]` into kept / transformed parts and merge back. */
export interface ColumnSplitter {
  split(x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D];
  merge(kept: tf.Tensor2D, transformed: tf.Tensor2D): tf.Tensor2D;
}

/** Splitter for `partition` (inside the caller's tidy): column selections, see `selectColumns`. */
export function columnSplitter(dim: number, partition: CouplingPartition): ColumnSplitter {
  // merge: column j of the result is column order[j] of [kept | transformed].
  const order = new Array<number>(dim);
  partition.kept.forEach((i, j) => (order[i] = j));
  partition.transformed.forEach((i, j) => (order[i] = partition.kept.length + j));
  return {
    split(x) {
      return [selectColumns(x, partition.kept), selectColumns(x, partition.transformed)];
    },
    merge(kept, transformed) {
      return selectColumns(tf.concat([kept, transformed], 1) as tf.Tensor2D, order);
    },
  };
}
