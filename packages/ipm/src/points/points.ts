// Point clouds as the host-side solvers (exact OT, Sinkhorn) read them: row-major Float64
// coordinates, so costs and potentials are computed in double precision whatever the backend.
import type * as tf from '@tensorflow/tfjs-core';

/** A point cloud `[n, d]`: a 2-D tensor, or rows of numbers (read in double precision). */
export type Points = tf.Tensor2D | ReadonlyArray<ReadonlyArray<number>>;

/** A point cloud copied to the host: `data` is row-major `[n, d]` in Float64. */
export interface HostPoints {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
}

/**
 * Copies `points` (`[n, d]`) to the host in Float64. `field` names the argument in errors.
 * Throws if the shape is not `[n, d]` with n ≥ 1, d ≥ 1 or a value is not finite.
 */
export function toHostPoints(points: Points, field: string): HostPoints {
  let data: Float64Array;
  let n: number;
  let d: number;
  if (Array.isArray(points)) {
    const rows = points as ReadonlyArray<ReadonlyArray<number>>;
    n = rows.length;
    d = n > 0 ? (rows[0]?.length ?? 0) : 0;
    data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (!row || row.length !== d) {
        throw new RangeError(`${field}: row ${i} has ${row?.length ?? 0} coordinates, expected ${d} like row 0`);
      }
      for (let k = 0; k < d; k++) data[i * d + k] = row[k]!;
    }
  } else {
    const t = points as tf.Tensor2D;
    if (t === null || typeof t !== 'object' || !Array.isArray(t.shape) || t.shape.length !== 2) {
      const shape = t && Array.isArray((t as tf.Tensor).shape) ? `[${(t as tf.Tensor).shape.join(', ')}]` : String(t);
      throw new TypeError(`${field}: expected a 2-D tensor [n, d] or an array of rows, got ${shape}`);
    }
    [n, d] = t.shape;
    data = Float64Array.from(t.dataSync());
  }
  if (n < 1 || d < 1) throw new RangeError(`${field}: expected at least one point of dimension ≥ 1, got [${n}, ${d}]`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new RangeError(`${field}: coordinate ${data[i]} of point ${Math.floor(i / d)} is not finite`);
    }
  }
  return { data, n, d };
}
