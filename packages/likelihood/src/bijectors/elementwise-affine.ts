// Elementwise affine map x = z ⊙ exp(a) + b, log|det Dψ| = Σ_i a_i (the scaling layer of NICE,
// Dinh et al. 2015 §3.3, with a log-parametrised scale so it stays invertible).
import * as tf from '@tensorflow/tfjs-core';
import { reserveParameters } from '@pfm/core';
import { z } from 'zod';
import { defineBijector, type PfmBijector } from './define-bijector.js';

/** Options of `elementwise-affine`: dim and the initial log-scale a and shift b. */
export const elementwiseAffineOptionsSchema = z
  .object({
    dim: z.number().int().positive(),
    /** Initial log-scale a (one value for every coordinate). */
    logScale: z.number().finite().default(0),
    /** Initial shift b. */
    shift: z.number().finite().default(0),
  })
  .strict();

/** Options accepted by `elementwiseAffine`. */
export type ElementwiseAffineOptions = z.input<typeof elementwiseAffineOptionsSchema>;

let counter = 0;

/** x = z·exp(a) + b and its inverse, with `[n]` log-determinants ±Σ a (inside the caller's tidy). */
export function scaleShift(input: tf.Tensor2D, logScale: tf.Tensor1D, shift: tf.Tensor1D, inverse: boolean): [tf.Tensor2D, tf.Tensor1D] {
  const n = input.shape[0];
  const total = tf.sum(logScale);
  if (!inverse) {
    return [tf.add(tf.mul(input, tf.exp(logScale)), shift) as tf.Tensor2D, tf.mul(tf.ones([n]), total) as tf.Tensor1D];
  }
  return [tf.mul(tf.sub(input, shift), tf.exp(tf.neg(logScale))) as tf.Tensor2D, tf.mul(tf.ones([n]), tf.neg(total)) as tf.Tensor1D];
}

/**
 * Trainable elementwise affine bijector `[n, dim]` → `[n, dim]`: x = z·exp(a) + b.
 * Source: Dinh, Krueger & Bengio, "NICE", 2015 (scaling layer).
 */
export function elementwiseAffine(options: ElementwiseAffineOptions): PfmBijector<z.output<typeof elementwiseAffineOptionsSchema>> {
  const parsed = elementwiseAffineOptionsSchema.parse(options);
  reserveParameters(2 * parsed.dim, `elementwise-affine (dim ${parsed.dim})`);
  const scope = `elementwise-affine${counter++}`;
  const logScale = tf.tidy(() => tf.variable(tf.fill([parsed.dim], parsed.logScale), true, `${scope}/log-scale`)) as tf.Variable<tf.Rank.R1>;
  const shift = tf.tidy(() => tf.variable(tf.fill([parsed.dim], parsed.shift), true, `${scope}/shift`)) as tf.Variable<tf.Rank.R1>;
  return defineBijector({
    type: 'elementwise-affine',
    dim: parsed.dim,
    variables: [logScale, shift],
    options: () => parsed,
    forward: (zIn) => scaleShift(zIn, logScale, shift, false),
    inverse: (x) => scaleShift(x, logScale, shift, true),
  });
}
