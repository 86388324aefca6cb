// s = Σ_i g(x_i) ∈ R^k computed over blocks of rows, each reduced inside its own tf.tidy, so
// outside a gradient tape the [n, k] feature matrix is never alive at once.
import * as tf from '@tensorflow/tfjs-core';
import { tileRanges } from './tile-ranges.js';

/** A row-wise map `[p, d]` → `[p, k]`. */
export type RowFunction = (a: tf.Tensor2D) => tf.Tensor2D;

// 1ᵀF as a matmul: tfjs's reductions run along the last axis and would transpose F first.
function columnSums(f: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, f.shape[0]]), f), [-1]) as tf.Tensor1D;
}

/**
 * Σ_i g(x)_i for `x` `[n, d]` → `[k]`, block by block (`tileSize` rows at a time).
 * Differentiable in x; outside a gradient tape peak memory is O(tileSize·k + n·d).
 */
export function tiledRowSum(g: RowFunction, x: tf.Tensor2D, tileSize: number): tf.Tensor1D {
  const n = x.shape[0];
  if (n <= tileSize) return tf.tidy(() => columnSums(g(x)));
  const parts = tileRanges(n, tileSize).map((r) =>
    tf.tidy(() => columnSums(g(tf.slice(x, [r.start, 0], [r.size, -1]) as tf.Tensor2D))),
  );
  const total = tf.addN(parts) as tf.Tensor1D;
  tf.dispose(parts);
  return total;
}
