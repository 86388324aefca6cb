// Column selection of a matrix, x[:, indices]: exact in float32 and differentiable, by one of two
// routes chosen by size.
//   - Small (c·count ≤ SELECTION_MATRIX_MAX): x S with the 0/1 selection matrix S, one matMul,
//     much faster than a strided tf.slice or a gather on tfjs's cpu backend (which copy element by
//     element) at the widths of the 2-D to 16-D data sets.
//   - Large: a gather of the columns, whose gradient is a gather of dy and one zero column
//     (tfjs's own GatherV2 gradient needs UnsortedSegmentSum, which the wasm backend lacks). The
//     matMul costs n·c·count: on 784-pixel images a random permutation alone is 615k
//     multiply-adds per row, which made a RealNVP step on MNIST about 50× slower than it needs.
// Both give the same values (x·1 plus zeros), so the route never changes a result.
import * as tf from '@tensorflow/tfjs-core';

/** Above this many entries of the selection matrix (c·count), columns are gathered instead. */
export const SELECTION_MATRIX_MAX = 64 * 64;

/** `[dim, indices.length]` 0/1 matrix S with (x S)[:, j] = x[:, indices[j]]. */
export function selectionMatrix(dim: number, indices: readonly number[]): Float32Array {
  const m = new Float32Array(dim * indices.length);
  indices.forEach((i, j) => (m[i * indices.length + j] = 1));
  return m;
}

/**
 * `[n, c]` → `[n, indices.length]`: y[:, j] = x[:, indices[j]] for distinct `indices` in [0, c)
 * (inside the caller's tidy). The gradient puts dy[:, j] back in column indices[j] and zeros in
 * the columns not selected.
 */
export function selectColumns(x: tf.Tensor2D, indices: readonly number[]): tf.Tensor2D {
  const c = x.shape[1];
  const count = indices.length;
  if (c * count <= SELECTION_MATRIX_MAX) return tf.matMul(x, tf.tensor2d(selectionMatrix(c, indices), [c, count]));
  // positions[i] = where column i of x went, or `count` (a zero column) when it was not selected.
  const positions = new Int32Array(c).fill(count);
  indices.forEach((i, j) => {
    if (!Number.isInteger(i) || i < 0 || i >= c || positions[i] !== count) {
      throw new RangeError(`selectColumns: indices must be distinct integers in [0, ${c}), got ${i} at position ${j}`);
    }
    positions[i] = j;
  });
  const gather = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as tf.Tensor2D;
    return {
      value: tf.gather(input, tf.tensor1d(Int32Array.from(indices), 'int32'), 1) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor) =>
        tf.tidy(() => {
          const padded = count < c ? tf.concat([dy, tf.zeros([dy.shape[0]!, 1])], 1) : dy;
          return tf.gather(padded, tf.tensor1d(positions, 'int32'), 1);
        }),
    };
  });
  return gather(x) as tf.Tensor2D;
}

/** `[n, c]` → `[n, count]`: columns start … start + count − 1 (inside the caller's tidy). */
export function takeColumns(x: tf.Tensor2D, start: number, count: number): tf.Tensor2D {
  const c = x.shape[1];
  if (start < 0 || count < 0 || start + count > c) {
    throw new RangeError(`takeColumns: columns ${start}…${start + count - 1} of a [n, ${c}] matrix`);
  }
  if (c * count > SELECTION_MATRIX_MAX) return tf.slice(x, [0, start], [-1, count]);
  return selectColumns(x, Array.from({ length: count }, (_, j) => start + j));
}
