// Which coordinates a coupling layer transforms and which condition it (Dinh et al. 2017, §3.4):
// x_T = g(z_T; θ(z_K)), x_K = z_K. Columns are selected and put back with 0/1 matrices, which
// is exact in float32 and differentiable on every backend.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';

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

/** `[dim, indices.length]` 0/1 matrix S with (x S)[:, j] = x[:, indices[j]]. */
export function selectionMatrix(dim: number, indices: readonly number[]): Float32Array {
  const m = new Float32Array(dim * indices.length);
  indices.forEach((i, j) => (m[i * indices.length + j] = 1));
  return m;
}

/** Column selectors for a partition: split `[n, d]` into kept / transformed parts and merge back. */
export interface ColumnSplitter {
  split(x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D];
  merge(kept: tf.Tensor2D, transformed: tf.Tensor2D): tf.Tensor2D;
}

/** Splitter for `partition` (builds its small constant matrices per call, inside the caller's tidy). */
export function columnSplitter(dim: number, partition: CouplingPartition): ColumnSplitter {
  const keptSel = selectionMatrix(dim, partition.kept);
  const transSel = selectionMatrix(dim, partition.transformed);
  const k = partition.kept.length;
  const t = partition.transformed.length;
  return {
    split(x) {
      return [
        tf.matMul(x, tf.tensor2d(keptSel, [dim, k])) as tf.Tensor2D,
        tf.matMul(x, tf.tensor2d(transSel, [dim, t])) as tf.Tensor2D,
      ];
    },
    merge(kept, transformed) {
      return tf.add(
        tf.matMul(kept, tf.tensor2d(keptSel, [dim, k]), false, true),
        tf.matMul(transformed, tf.tensor2d(transSel, [dim, t]), false, true),
      ) as tf.Tensor2D;
    },
  };
}
