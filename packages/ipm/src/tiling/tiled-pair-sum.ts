// S = Σ_{i,j} h(x_i, y_j) (or Σ_{i≠j} h(x_i, x_j)) computed block by block: each block is reduced
// to a scalar inside its own tf.tidy, so outside a gradient tape (the metric path) at most one
// tileSize × tileSize block is alive. Under a tape, tfjs keeps what each block's backward needs,
// as the untiled computation would; gradients flow through ordinary tf ops.
import * as tf from '@tensorflow/tfjs-core';
import { tileRanges } from './tile-ranges.js';

/** A pairwise function: `[p, d]`, `[q, d]` → `[p, q]` with entries h(a_i, b_j). */
export type PairFunction = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** Options of {@link tiledPairSum}. */
export interface TiledPairSumOptions {
  /** Rows (and columns) per block; inputs not larger than this are summed in one block. */
  tileSize: number;
  /** Self sums only (y = null): leave out the diagonal i = j (U-statistics). */
  excludeDiagonal?: boolean;
}

function blockSum(h: PairFunction, a: tf.Tensor2D, b: tf.Tensor2D, mask: boolean, weight: number): tf.Scalar {
  const values = h(a, b);
  const size = a.shape[0];
  const masked = mask ? tf.mul(values, tf.sub(tf.ones([size, size]), tf.eye(size))) : values;
  const s = tf.sum(masked) as tf.Scalar;
  return weight === 1 ? s : (tf.mul(s, weight) as tf.Scalar);
}

/**
 * Σ_{i,j} h(x_i, y_j) for `x` `[n, d]`, `y` `[m, d]` → scalar; with `y = null`, the self sum
 * Σ_{i,j} h(x_i, x_j) (Σ_{i≠j} with `excludeDiagonal`), where h must be symmetric
 * (h(a, b) = h(b, a)ᵀ): off-diagonal blocks are computed once and counted twice.
 * Differentiable in x and y. Outside a gradient tape, peak memory is O(tileSize² + (n + m)·d).
 */
export function tiledPairSum(
  h: PairFunction,
  x: tf.Tensor2D,
  y: tf.Tensor2D | null,
  options: TiledPairSumOptions,
): tf.Scalar {
  const tileSize = options.tileSize;
  const n = x.shape[0];
  const self = y === null;
  const m = self ? n : y.shape[0];
  const exclude = self && (options.excludeDiagonal ?? false);
  if (n <= tileSize && m <= tileSize) {
    return tf.tidy(() => blockSum(h, x, self ? x : y, exclude, 1));
  }
  const rows = tileRanges(n, tileSize);
  const cols = self ? rows : tileRanges(m, tileSize);
  const other = self ? x : y;
  const parts: tf.Scalar[] = [];
  rows.forEach((r, I) => {
    cols.forEach((c, J) => {
      if (self && J < I) return;
      const weight = self && J > I ? 2 : 1;
      parts.push(
        tf.tidy(() =>
          blockSum(
            h,
            tf.slice(x, [r.start, 0], [r.size, -1]) as tf.Tensor2D,
            tf.slice(other, [c.start, 0], [c.size, -1]) as tf.Tensor2D,
            exclude && I === J,
            weight,
          ),
        ),
      );
    });
  });
  const total = tf.addN(parts) as tf.Scalar;
  tf.dispose(parts);
  return total;
}
