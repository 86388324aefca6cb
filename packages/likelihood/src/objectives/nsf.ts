// Neural spline flow by maximum likelihood (Durkan et al. 2019): coupling blocks of monotone
// rational-quadratic splines, trained by minimising −(1/B) Σ_b log p(x_b) (change of variables).
import { z } from 'zod';
import { defineObjective } from '@pfm/core';
import { dequantizationShape } from '../data/dequantization.js';
import { pixelPreprocessingSchema } from '../data/pixel-preprocessing.js';
import { PERMUTATION_KINDS } from './coupling-flow-specs.js';
import { couplingFlowRun, couplingUnsupported, loadFlowModel } from './flow-training-run.js';
import { nsfImageDefaults } from './image-recipe-defaults.js';

/** Options of the `nsf` objective, with defaults (see the README table). */
export const nsfOptionsSchema = z
  .object({
    /** Number of spline coupling blocks. */
    blocks: z.number().int().positive().max(128).default(4),
    /** Bins K of every spline. */
    bins: z.number().int().min(2).max(256).default(8),
    /** B: splines act on [−B, B]; identity outside. */
    tailBound: z.number().positive().default(4),
    /** Mixing between blocks: `lu` (LU linear, as in RQ-NSF (C)), `reverse`, `random` or `none` (alternating masks); `random` by default on images. */
    permutation: z.enum(PERMUTATION_KINDS).default('lu'),
    /**
     * The column order of each mixing layer, data → noise (orders[b] follows block b; blocks − 1
     * of them, each a permutation of 0 … d − 1, x[:, j] = z[:, order[j]]), instead of the random
     * draws of `random` / the P of `lu`: to pin a layout, or to reproduce another library's.
     */
    mixingOrders: z.array(z.array(z.number().int().min(0)).min(1)).optional(),
    /** An ActNorm layer (data-initialised) at the data side of every block. */
    actnorm: z.boolean().default(true),
    minBinWidth: z.number().min(0).max(0.1).default(1e-3),
    minBinHeight: z.number().min(0).max(0.1).default(1e-3),
    minDerivative: z.number().min(0).max(0.5).default(1e-3),
    ...dequantizationShape,
    /** Images in [0, 1]: uniform dequantisation and the logit transform (absent: none); see pixelPreprocessingSchema. */
    preprocess: pixelPreprocessingSchema.optional(),
  })
  .strict()
  .refine((o) => o.bins * o.minBinWidth < 1 && o.bins * o.minBinHeight < 1, {
    message: 'bins × minBinWidth and bins × minBinHeight must be < 1',
    path: ['bins'],
  });

/** Validated options of `nsf`. */
export type NsfOptions = z.output<typeof nsfOptionsSchema>;

/**
 * The `nsf` objective: rational-quadratic spline coupling flow by maximum likelihood.
 * Networks: `model.hidden` (default [32, 32]) and `model.activation` (default silu) of the recipe.
 * Source: Durkan, Bekasov, Murray & Papamakarios, "Neural Spline Flows", NeurIPS 2019.
 */
export const nsfObjective = defineObjective({
  id: 'nsf',
  description: 'Neural spline flow (rational-quadratic coupling) by maximum likelihood (exact log-likelihood)',
  schema: nsfOptionsSchema,
  recipeDefaults: nsfImageDefaults,
  unsupported: couplingUnsupported,
  create: (options, ctx) =>
    couplingFlowRun('nsf', options, ctx, (mask, network) => ({
      type: 'spline-coupling',
      options: {
        dim: ctx.dim,
        mask,
        ...network,
        bins: options.bins,
        tailBound: options.tailBound,
        minBinWidth: options.minBinWidth,
        minBinHeight: options.minBinHeight,
        minDerivative: options.minDerivative,
      },
    })),
  load: (parts) => loadFlowModel('nsf', parts),
});
