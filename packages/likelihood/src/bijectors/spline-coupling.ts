// Rational-quadratic spline coupling (Durkan et al. 2019, §3.2): x_K = z_K and each transformed
// coordinate x_i = g_i(z_i) is a monotone RQ spline on [−B, B] (identity outside) whose K bin
// widths, K heights and K − 1 interior derivatives are θ(z_K); log|det Dψ| = Σ_T log g_i'(z_i).
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ConditionBatch, Rng } from '@pfm/core';
import { couplingMaskSchema, couplingPartition, columnSplitter } from './coupling-mask.js';
import { conditioner, conditionerShape } from './conditioner.js';
import { defineBijector, type PfmBijector } from './define-bijector.js';
import { rationalQuadraticSpline } from './rational-quadratic-spline.js';
import { takeColumns } from './take-columns.js';

/** Options of `spline-coupling` (bins K, tail bound B, minimal bin sizes and derivative), with defaults. */
export const splineCouplingOptionsSchema = z
  .object({
    dim: z.number().int().min(2),
    /** Which coordinates are transformed (the others condition them). */
    mask: couplingMaskSchema.default('odd'),
    ...conditionerShape,
    /** Number of bins K. */
    bins: z.number().int().min(2).max(256).default(8),
    /** B: the splines act on [−B, B]; outside it every coordinate passes unchanged. */
    tailBound: z.number().positive().default(4),
    /** Smallest bin width as a fraction of 2B. */
    minBinWidth: z.number().min(0).max(0.1).default(1e-3),
    /** Smallest bin height as a fraction of 2B. */
    minBinHeight: z.number().min(0).max(0.1).default(1e-3),
    /** Smallest derivative at an interior knot. */
    minDerivative: z.number().min(0).max(0.5).default(1e-3),
  })
  .strict()
  .refine((o) => o.bins * o.minBinWidth < 1 && o.bins * o.minBinHeight < 1, {
    message: 'bins × minBinWidth and bins × minBinHeight must be < 1',
    path: ['bins'],
  });

/** Options accepted by `splineCoupling`. */
export type SplineCouplingOptions = z.input<typeof splineCouplingOptionsSchema>;

/**
 * Neural spline flow coupling ψ: R^dim → R^dim (`[n, dim]` rows) with monotone rational-quadratic
 * splines and identity tails outside [−tailBound, tailBound].
 * Source: Durkan, Bekasov, Murray & Papamakarios, "Neural Spline Flows", NeurIPS 2019.
 */
export function splineCoupling(options: SplineCouplingOptions, rng: Rng): PfmBijector<z.output<typeof splineCouplingOptionsSchema>> {
  const parsed = splineCouplingOptionsSchema.parse(options);
  const partition = couplingPartition(parsed.dim, parsed.mask, 'spline-coupling');
  const splitter = columnSplitter(parsed.dim, partition);
  const m = partition.transformed.length;
  const K = parsed.bins;
  const per = 3 * K - 1;
  const net = conditioner(parsed, partition.kept.length, m * per, rng);
  const run = (input: tf.Tensor2D, inverse: boolean, condition?: ConditionBatch): [tf.Tensor2D, tf.Tensor1D] => {
    const [kept, trans] = splitter.split(input);
    const n = input.shape[0];
    // One row of `per` parameters per transformed element: [n·m, per], split by columns.
    const h = tf.reshape(net.apply(kept, condition), [n * m, per]) as tf.Tensor2D;
    const block = (start: number, count: number) => tf.reshape(takeColumns(h, start, count), [n, m, count]) as tf.Tensor3D;
    const [out, logDet] = rationalQuadraticSpline(trans, block(0, K), block(K, K), block(2 * K, K - 1), { ...parsed, inverse });
    return [splitter.merge(kept, out), tf.sum(logDet, 1) as tf.Tensor1D];
  };
  return defineBijector({
    type: 'spline-coupling',
    dim: parsed.dim,
    ...(net.condition ? { condition: net.condition } : {}),
    variables: [...net.variables],
    options: () => parsed,
    forward: (zIn, condition) => run(zIn, false, condition),
    inverse: (x, condition) => run(x, true, condition),
  });
}
