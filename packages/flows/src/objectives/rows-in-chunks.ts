// One pass of a row-wise map over a set too large for one call: `rows` [n, d] (with the matching
// rows of `condition`, one per row) go through `map` `chunkRows` rows at a time, and the results are
// gathered in host memory, so the device holds one chunk's work at a time. Reflow (re-coupling the
// pairs) and distillation (the teacher's endpoints) both make their pairs this way: each output row
// depends on its own input row and condition only, so chunking changes nothing but rounding.
import * as tf from '@tensorflow/tfjs-core';

/**
 * `map` applied to `rows` `[n, d]` `chunkRows` rows at a time, with the matching slice of `condition`
 * (`[n]` or `[n, k]`, or absent); each chunk's output must be `[size, d]`. Returns the outputs as one
 * new `[n, d]` tensor. When one chunk holds every row, `map` sees `rows` and `condition` themselves.
 */
export function rowsInChunks(
  rows: tf.Tensor2D,
  condition: tf.Tensor | undefined,
  chunkRows: number,
  map: (rows: tf.Tensor2D, condition: tf.Tensor | undefined) => tf.Tensor2D,
): tf.Tensor2D {
  const [n, dim] = rows.shape;
  const out = new Float32Array(n * dim);
  for (let start = 0; start < n; start += chunkRows) {
    const size = Math.min(chunkRows, n - start);
    tf.tidy(() => {
      const whole = size === n;
      const chunk = whole ? rows : (tf.slice(rows, [start, 0], [size, dim]) as tf.Tensor2D);
      const c = condition === undefined || whole ? condition : condition.rank === 1 ? tf.slice(condition, [start], [size]) : tf.slice(condition, [start, 0], [size, -1]);
      const y = map(chunk, c);
      if (y.shape[0] !== size || y.shape[1] !== dim) {
        throw new Error(`rowsInChunks: a chunk of ${size} rows of ${dim} values came back as [${y.shape.join(', ')}]`);
      }
      out.set(y.dataSync(), start * dim);
    });
  }
  return tf.tensor2d(out, [n, dim]);
}
