// Uniform on the box Π [low_i, high_i]: log p(x) = −Σ log(high_i − low_i) inside, −∞ outside.
import * as tf from '@tensorflow/tfjs-core';
import type { DensityMeasure } from '../contracts/measure.js';
import type { Rng } from '../rng/rng.js';

export interface UniformOptions {
  low: number[] | number;
  high: number[] | number;
  /** Dimension when low and high are scalars. Default 1. */
  dim?: number;
}

export function uniform(options: UniformOptions): DensityMeasure & { low: number[]; high: number[] } {
  const d = Array.isArray(options.low) ? options.low.length : Array.isArray(options.high) ? options.high.length : (options.dim ?? 1);
  const expand = (v: number[] | number, name: string) => {
    const a = typeof v === 'number' ? new Array<number>(d).fill(v) : v;
    if (a.length !== d) throw new RangeError(`uniform: "${name}" has ${a.length} entries, expected ${d}`);
    return a;
  };
  const low = expand(options.low, 'low');
  const high = expand(options.high, 'high');
  low.forEach((l, i) => {
    if (!Number.isFinite(l) || !Number.isFinite(high[i]!) || !(high[i]! > l)) {
      throw new RangeError(`uniform: need finite low[${i}] < high[${i}], got ${l} and ${high[i]}`);
    }
  });
  const logVolume = low.reduce((s, l, i) => s + Math.log(high[i]! - l), 0);
  return {
    dim: d,
    low,
    high,
    sample(n: number, rng: Rng): tf.Tensor2D {
      const u = rng.uniformArray(n * d);
      for (let k = 0; k < u.length; k++) {
        const i = k % d;
        u[k] = low[i]! + (high[i]! - low[i]!) * u[k]!;
      }
      return tf.tensor2d(u, [n, d]);
    },
    logProb(x: tf.Tensor2D): tf.Tensor1D {
      return tf.tidy(() => {
        const inside = x
          .greaterEqual(tf.tensor1d(low))
          .logicalAnd(x.lessEqual(tf.tensor1d(high)))
          .all(1);
        return tf.where(inside, tf.fill([x.shape[0]], -logVolume), tf.fill([x.shape[0]], -Infinity)) as tf.Tensor1D;
      });
    },
  };
}
