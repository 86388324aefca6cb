// Input validation shared by the objectives and the models: a `[N, dim]` matrix of finite numbers.
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Throws a RangeError naming `where`, the shape or the first bad entry unless `data` is a
 * non-empty `[N, dim]` matrix of finite numbers. `checkValues: false` skips the (synchronous)
 * scan of the values.
 */
export function checkData(data: tf.Tensor, dim: number | undefined, where: string, options: { checkValues?: boolean } = {}): void {
  if (data.rank !== 2) {
    throw new RangeError(`${where}: data must be a matrix [N, d] (one row per point), got shape [${data.shape.join(', ')}]`);
  }
  const [n, d] = data.shape as [number, number];
  if (n === 0) throw new RangeError(`${where}: data has no rows (shape [0, ${d}])`);
  if (dim !== undefined && d !== dim) {
    throw new RangeError(`${where}: data has ${d} column(s), expected dim = ${dim}`);
  }
  if (options.checkValues === false) return;
  const values = data.dataSync();
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isFinite(v)) {
      const row = Math.floor(k / d);
      throw new RangeError(
        `${where}: data row ${row}, column ${k % d} is ${v}; expected finite numbers (remove or impute rows with missing values)`,
      );
    }
  }
}
