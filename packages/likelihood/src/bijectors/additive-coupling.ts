// Additive coupling (NICE, Dinh et al. 2015, eq. 6): x_K = z_K, x_T = z_T + t(z_K);
// volume preserving, log|det Dψ| = 0. Pair it with an elementwise affine (NICE's scaling
// layer) or ActNorm to change volumes.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { Rng } from '@pfm/core';
import { couplingMaskSchema, couplingPartition, columnSplitter } from './coupling-mask.js';
import { conditioner, conditionerShape } from './conditioner.js';
import { defineBijector, type PfmBijector } from './define-bijector.js';

/** Options of `additive-coupling` (dim ≥ 2, mask, conditioner network), with defaults. */
export const additiveCouplingOptionsSchema = z
  .object({
    dim: z.number().int().min(2),
    /** Which coordinates are transformed (the others condition them). */
    mask: couplingMaskSchema.default('odd'),
    ...conditionerShape,
  })
  .strict();

/** Options accepted by `additiveCoupling`. */
export type AdditiveCouplingOptions = z.input<typeof additiveCouplingOptionsSchema>;

/**
 * NICE additive coupling ψ: R^dim → R^dim (`[n, dim]` rows), x_T = z_T + t(z_K), log-det 0.
 * Source: Dinh, Krueger & Bengio, "NICE: Non-linear independent components estimation", 2015.
 */
export function additiveCoupling(options: AdditiveCouplingOptions, rng: Rng): PfmBijector<z.output<typeof additiveCouplingOptionsSchema>> {
  const parsed = additiveCouplingOptionsSchema.parse(options);
  const partition = couplingPartition(parsed.dim, parsed.mask, 'additive-coupling');
  const splitter = columnSplitter(parsed.dim, partition);
  const net = conditioner(parsed, partition.kept.length, partition.transformed.length, rng);
  return defineBijector({
    type: 'additive-coupling',
    dim: parsed.dim,
    ...(net.condition ? { condition: net.condition } : {}),
    variables: [...net.variables],
    options: () => parsed,
    forward(zIn, condition) {
      const [kept, trans] = splitter.split(zIn);
      return [splitter.merge(kept, tf.add(trans, net.apply(kept, condition)) as tf.Tensor2D), tf.zeros([zIn.shape[0]]) as tf.Tensor1D];
    },
    inverse(x, condition) {
      const [kept, trans] = splitter.split(x);
      return [splitter.merge(kept, tf.sub(trans, net.apply(kept, condition)) as tf.Tensor2D), tf.zeros([x.shape[0]]) as tf.Tensor1D];
    },
  });
}
