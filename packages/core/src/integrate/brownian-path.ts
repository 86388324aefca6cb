// A Brownian path W on [t0, t1] sampled on a fine uniform grid of `resolution` steps:
//   W(t_{k+1}) − W(t_k) ~ N(0, (t1 − t0)/resolution · I) independent, W(t0) = 0.
// Increments over any coarser grid whose points lie on the fine one are exact sums of fine
// increments, so one path drives solves at several step sizes (strong-order tests).
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/rng.js';

/** Options of {@link brownianPath}. */
export interface BrownianPathOptions {
  t0?: number;
  t1?: number;
  /** Number of fine steps (a positive integer). */
  resolution: number;
  /** Shape `[n, d]` of W(t). */
  shape: [number, number];
  rng: Rng;
}

/** A sampled Brownian path; `increment(ta, tb)` = W(tb) − W(ta), `[n, d]`, for times on the fine grid. */
export interface BrownianPath {
  readonly t0: number;
  readonly t1: number;
  readonly resolution: number;
  readonly shape: readonly [number, number];
  increment(ta: number, tb: number): tf.Tensor2D;
}

/** Samples a Brownian path (float64 on the host; increments are returned as float32 tensors). */
export function brownianPath(options: BrownianPathOptions): BrownianPath {
  const t0 = options.t0 ?? 0;
  const t1 = options.t1 ?? 1;
  const { resolution, shape, rng } = options;
  if (!Number.isInteger(resolution) || resolution <= 0) {
    throw new RangeError(`brownianPath: "resolution" must be a positive integer, got ${resolution}`);
  }
  if (!(Number.isFinite(t0) && Number.isFinite(t1) && t1 > t0)) {
    throw new RangeError(`brownianPath: expected finite t0 < t1, got t0 = ${t0}, t1 = ${t1}`);
  }
  if (shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`brownianPath: "shape" must be [n, d] with positive integers, got [${shape.join(', ')}]`);
  }
  const m = shape[0] * shape[1];
  const scale = Math.sqrt((t1 - t0) / resolution);
  const cumulative = new Float64Array((resolution + 1) * m);
  for (let k = 0; k < resolution; k++) {
    const z = rng.fold(k).normalArray(m);
    for (let i = 0; i < m; i++) cumulative[(k + 1) * m + i] = cumulative[k * m + i]! + scale * z[i]!;
  }
  const gridIndex = (t: number): number => {
    const x = ((t - t0) / (t1 - t0)) * resolution;
    const k = Math.round(x);
    if (Math.abs(x - k) > 1e-6 * Math.max(1, resolution) || k < 0 || k > resolution) {
      throw new RangeError(
        `brownianPath: time ${t} is not on the path's grid of ${resolution} steps over [${t0}, ${t1}]`,
      );
    }
    return k;
  };
  return {
    t0,
    t1,
    resolution,
    shape: [shape[0], shape[1]],
    increment(ta: number, tb: number): tf.Tensor2D {
      const a = gridIndex(ta);
      const b = gridIndex(tb);
      const out = new Float32Array(m);
      for (let i = 0; i < m; i++) out[i] = cumulative[b * m + i]! - cumulative[a * m + i]!;
      return tf.tensor2d(out, [shape[0], shape[1]]);
    },
  };
}
