// Affine coupling (RealNVP, Dinh et al. 2017, eq. 4–6): x_K = z_K, x_T = z_T ⊙ exp(s) + t with
// (s_raw, t) = θ(z_K) and a soft clamp s = c·tanh(s_raw / c); log|det Dψ(z)| = Σ_T s.
// Inverse: z_T = (x_T − t) ⊙ exp(−s), log|det Dψ⁻¹(x)| = −Σ_T s.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ConditionBatch, Rng } from '@pfm/core';
import { couplingMaskSchema, couplingPartition, columnSplitter } from './coupling-mask.js';
import { conditioner, conditionerShape } from './conditioner.js';
import { defineBijector, type PfmBijector } from './define-bijector.js';
import { takeColumns } from './take-columns.js';

/** Options of `affine-coupling` (dim ≥ 2, mask, conditioner network, soft clamp c), with defaults. */
export const affineCouplingOptionsSchema = z
  .object({
    dim: z.number().int().min(2),
    /** Which coordinates are transformed (the others condition them). */
    mask: couplingMaskSchema.default('odd'),
    ...conditionerShape,
    /** Soft clamp c of the log-scale: s = c·tanh(s_raw / c) ∈ (−c, c). */
    clamp: z.number().positive().default(3),
  })
  .strict();

/** Options accepted by `affineCoupling` (defaults filled by its schema). */
export type AffineCouplingOptions = z.input<typeof affineCouplingOptionsSchema>;

/**
 * RealNVP affine coupling ψ: R^dim → R^dim (`[n, dim]` rows), x_T = z_T·exp(s(z_K)) + t(z_K).
 * Source: Dinh, Sohl-Dickstein & Bengio, "Density estimation using Real NVP", ICLR 2017.
 */
export function affineCoupling(options: AffineCouplingOptions, rng: Rng): PfmBijector<z.output<typeof affineCouplingOptionsSchema>> {
  const parsed = affineCouplingOptionsSchema.parse(options);
  const partition = couplingPartition(parsed.dim, parsed.mask, 'affine-coupling');
  const splitter = columnSplitter(parsed.dim, partition);
  const m = partition.transformed.length;
  const net = conditioner(parsed, partition.kept.length, 2 * m, rng);
  const c = parsed.clamp;
  const scaleShift = (kept: tf.Tensor2D, condition?: ConditionBatch): [tf.Tensor2D, tf.Tensor2D] => {
    const h = net.apply(kept, condition);
    const sRaw = takeColumns(h, 0, m);
    const t = takeColumns(h, m, m);
    return [tf.mul(tf.tanh(tf.div(sRaw, c)), c) as tf.Tensor2D, t];
  };
  return defineBijector({
    type: 'affine-coupling',
    dim: parsed.dim,
    ...(net.condition ? { condition: net.condition } : {}),
    variables: [...net.variables],
    options: () => parsed,
    forward(zIn, condition) {
      const [kept, trans] = splitter.split(zIn);
      const [s, t] = scaleShift(kept, condition);
      const out = tf.add(tf.mul(trans, tf.exp(s)), t) as tf.Tensor2D;
      return [splitter.merge(kept, out), tf.sum(s, 1) as tf.Tensor1D];
    },
    inverse(x, condition) {
      const [kept, trans] = splitter.split(x);
      const [s, t] = scaleShift(kept, condition);
      const out = tf.mul(tf.sub(trans, t), tf.exp(tf.neg(s))) as tf.Tensor2D;
      return [splitter.merge(kept, out), tf.neg(tf.sum(s, 1)) as tf.Tensor1D];
    },
  });
}
