// Sliced Wasserstein SW_p(μ, ν) = (E_θ W_p^p(θ#μ, θ#ν))^{1/p}, θ uniform on S^{d−1}, averaged over L
// random directions; each 1-D W_p^p is exact: ∫₀¹ |F_θ⁻¹(t) − G_θ⁻¹(t)|^p dt by sorting (tf.topk,
// whose gradient @pfm/core registers). Rabin, Peyré, Delon & Bernot 2011; Bonneel et al. 2015, §2.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pfm/core';
import { z } from 'zod';
import { safePower } from '../kernels/safe-power.js';
import { checkPointClouds } from '../points/check-point-clouds.js';

/** JSON-able options of {@link slicedWasserstein} (and of the `sliced-wasserstein` entry): the one place they are written. */
export const slicedWassersteinSchema = z.strictObject({
  /** L, the number of random directions. Default 50. */
  projections: z.number().int().positive().default(50),
  /** p ≥ 1. Default 2. */
  p: z.number().min(1).default(2),
  /** Seed of the directions. Default 0. */
  seed: z.number().int().default(0),
  /** Return SW_p (true, default) or SW_p^p (false; smooth at 0, preferable as a training loss). */
  root: z.boolean().default(true),
});

/** Options of {@link slicedWasserstein} that only code gives. */
export interface SlicedWassersteinCodeOptions {
  /** Explicit unit directions `[L][d]` (replace `projections` and `seed`). */
  directions?: number[][];
}

/** Options of {@link slicedWasserstein}: the schema's fields, every one optional, and the code-only ones. */
export type SlicedWassersteinOptions = z.input<typeof slicedWassersteinSchema> & SlicedWassersteinCodeOptions;

/** Quantile matching for n vs m uniform points: pairs (i, j) of sorted indices and their mass. */
function quantilePairs(n: number, m: number): { i: Int32Array; j: Int32Array; w: Float32Array } {
  const is: number[] = [];
  const js: number[] = [];
  const ws: number[] = [];
  let i = 0;
  let j = 0;
  let t = 0;
  // Breakpoints (i + 1)/n and (j + 1)/m compared exactly as (i + 1)·m vs (j + 1)·n.
  while (i < n && j < m) {
    const ni = (i + 1) * m;
    const nj = (j + 1) * n;
    const next = Math.min(ni, nj);
    is.push(i);
    js.push(j);
    ws.push((next - t) / (n * m));
    t = next;
    if (ni === next) i++;
    if (nj === next) j++;
  }
  return { i: Int32Array.from(is), j: Int32Array.from(js), w: Float32Array.from(ws) };
}

/** L unit directions `[d, L]` from a seeded Gaussian draw, or the given ones (validated). */
function directionMatrix(d: number, options: SlicedWassersteinOptions): tf.Tensor2D {
  const where = 'slicedWasserstein';
  if (options.directions !== undefined) {
    const dirs = options.directions;
    if (!Array.isArray(dirs) || dirs.length === 0) throw new RangeError(`${where}: directions must be a non-empty array of ${d}-vectors`);
    const flat = new Float32Array(d * dirs.length);
    dirs.forEach((row, l) => {
      const norm = Math.hypot(...(row ?? []));
      if (!Array.isArray(row) || row.length !== d || !(norm > 0)) {
        throw new RangeError(`${where}: directions[${l}] must be a nonzero ${d}-vector, got ${JSON.stringify(row)}`);
      }
      row.forEach((v, k) => (flat[k * dirs.length + l] = v / norm));
    });
    return tf.tensor2d(flat, [d, dirs.length]);
  }
  const L = options.projections ?? 50;
  if (!Number.isInteger(L) || L < 1) throw new RangeError(`${where}: projections must be a positive integer, got ${L}`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new RangeError(`${where}: seed must be an integer, got ${seed}`);
  const z = createRng(seed).normalArray(d * L);
  const flat = new Float32Array(d * L);
  for (let l = 0; l < L; l++) {
    let norm = 0;
    for (let k = 0; k < d; k++) norm += z[l * d + k]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < d; k++) flat[k * L + l] = z[l * d + k]! / norm;
  }
  return tf.tensor2d(flat, [d, L]);
}

/**
 * Sliced p-Wasserstein distance between `x` `[n, d]` and `y` `[m, d]` (uniform weights, any n, m)
 * → scalar, differentiable. The directions are fixed by `seed` (or `directions`).
 * Source: Bonneel, Rabin, Peyré & Pfister 2015, J. Math. Imaging Vis. 51, §2.2 (POT's definition).
 */
export function slicedWasserstein(x: tf.Tensor2D, y: tf.Tensor2D, options: SlicedWassersteinOptions = {}): tf.Scalar {
  const where = 'slicedWasserstein';
  checkPointClouds(where, x, y);
  const p = options.p ?? 2;
  if (!(p >= 1) || !Number.isFinite(p)) throw new RangeError(`${where}: p must be a number ≥ 1, got ${p}`);
  const [n, d] = x.shape;
  const m = y.shape[0];
  return tf.tidy(() => {
    const theta = directionMatrix(d, options);
    const L = theta.shape[1];
    // [L, n] projections, sorted along each row (descending for both, so ranks match).
    const px = tf.topk(tf.transpose(tf.matMul(x, theta)), n).values;
    const py = tf.topk(tf.transpose(tf.matMul(y, theta)), m).values;
    let perDirection: tf.Tensor;
    if (n === m) {
      perDirection = tf.mean(powerAbs(tf.sub(px, py), p), 1);
    } else {
      const q = quantilePairs(n, m);
      const gx = tf.gather(px, tf.tensor1d(Int32Array.from(q.i, (i) => n - 1 - i), 'int32'), 1);
      const gy = tf.gather(py, tf.tensor1d(Int32Array.from(q.j, (j) => m - 1 - j), 'int32'), 1);
      perDirection = tf.sum(tf.mul(powerAbs(tf.sub(gx, gy), p), tf.tensor1d(q.w)), 1);
    }
    const mean = tf.div(tf.sum(perDirection), L);
    return ((options.root ?? true) ? safePower(mean, 1 / p) : mean) as tf.Scalar;
  });
}

function powerAbs(t: tf.Tensor, p: number): tf.Tensor {
  return p === 2 ? tf.square(t) : p === 1 ? tf.abs(t) : tf.pow(tf.abs(t), p);
}
