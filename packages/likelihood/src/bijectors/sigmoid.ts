// Sigmoid onto a box: x = lo + (hi − lo) σ(z), so a flow ending with it has its support in
// the box [lo, hi]^d (data in a box, e.g. pixels; Dinh et al. 2017 §4.1 use the logit of it).
//   log|dx/dz| = log(hi − lo) + log σ(z) + log σ(−z) = log(hi − lo) − softplus(z) − softplus(−z).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineBijector, type PfmBijector } from './define-bijector.js';

const bound = z.union([z.number().finite(), z.array(z.number().finite()).min(1)]);

/** Options of `sigmoid` and `logit`: dim and the box [low, high]^dim (low < high in every coordinate). */
export const boxOptionsSchema = z
  .object({
    dim: z.number().int().positive(),
    /** Lower corner of the box: one number for every coordinate, or one per coordinate. */
    low: bound.default(0),
    /** Upper corner of the box. */
    high: bound.default(1),
  })
  .strict()
  .superRefine((o, ctx) => {
    const expand = (b: number | number[], name: 'low' | 'high'): number[] | null => {
      if (typeof b === 'number') return new Array<number>(o.dim).fill(b);
      if (b.length !== o.dim) {
        ctx.addIssue({ code: 'custom', path: [name], message: `has ${b.length} entries, expected dim = ${o.dim}` });
        return null;
      }
      return b;
    };
    const lo = expand(o.low, 'low');
    const hi = expand(o.high, 'high');
    if (lo && hi) {
      const i = lo.findIndex((l, k) => !(l < hi[k]!));
      if (i >= 0) ctx.addIssue({ code: 'custom', path: ['high'], message: `must exceed low in every coordinate (coordinate ${i}: low ${lo[i]}, high ${hi[i]})` });
    }
  });

/** Options accepted by `sigmoid` and `logit`. */
export type BoxOptions = z.input<typeof boxOptionsSchema>;

/** `[lo, width]` rows `[1, dim]` of a parsed box (inside the caller's tidy). */
export function boxTensors(o: z.output<typeof boxOptionsSchema>): { lo: tf.Tensor2D; width: tf.Tensor2D; logWidthSum: number } {
  const lo = typeof o.low === 'number' ? new Array<number>(o.dim).fill(o.low) : o.low;
  const hi = typeof o.high === 'number' ? new Array<number>(o.dim).fill(o.high) : o.high;
  const width = hi.map((h, i) => h - lo[i]!);
  return {
    lo: tf.tensor2d(lo, [1, o.dim]),
    width: tf.tensor2d(width, [1, o.dim]),
    logWidthSum: width.reduce((s, w) => s + Math.log(w), 0),
  };
}

/** Sigmoid direction: R^d → box, with log|det| per row. */
export function squash(zIn: tf.Tensor2D, o: z.output<typeof boxOptionsSchema>): [tf.Tensor2D, tf.Tensor1D] {
  const { lo, width, logWidthSum } = boxTensors(o);
  const x = tf.add(lo, tf.mul(width, tf.sigmoid(zIn))) as tf.Tensor2D;
  const ld = tf.sub(logWidthSum, tf.sum(tf.add(tf.softplus(zIn), tf.softplus(tf.neg(zIn))), 1)) as tf.Tensor1D;
  return [x, ld];
}

/** Logit direction: box → R^d, z = log u − log(1 − u) with u = (x − lo)/(hi − lo); log|det| per row. */
export function unsquash(x: tf.Tensor2D, o: z.output<typeof boxOptionsSchema>): [tf.Tensor2D, tf.Tensor1D] {
  const { lo, width, logWidthSum } = boxTensors(o);
  const u = tf.div(tf.sub(x, lo), width);
  const logU = tf.log(u);
  const log1mU = tf.log1p(tf.neg(u));
  const zOut = tf.sub(logU, log1mU) as tf.Tensor2D;
  const ld = tf.sub(tf.neg(tf.sum(tf.add(logU, log1mU), 1)), logWidthSum) as tf.Tensor1D;
  return [zOut, ld];
}

/**
 * Sigmoid bijector R^dim → box (`[n, dim]` rows): x = lo + (hi − lo)·σ(z). Its inverse needs
 * x strictly inside the box (on or outside the boundary it returns ±∞ / NaN).
 * Source: the logit preprocessing of Dinh, Sohl-Dickstein & Bengio, "Real NVP", ICLR 2017, §4.1.
 */
export function sigmoid(options: BoxOptions): PfmBijector<z.output<typeof boxOptionsSchema>> {
  const parsed = boxOptionsSchema.parse(options);
  return defineBijector({
    type: 'sigmoid',
    dim: parsed.dim,
    variables: [],
    options: () => parsed,
    forward: (zIn) => squash(zIn, parsed),
    inverse: (x) => unsquash(x, parsed),
  });
}
