// RealNVP / NICE by maximum likelihood (Dinh et al. 2017; 2015): a stack of coupling blocks
// ψ, trained by minimising −(1/B) Σ_b log p(x_b), log p(x) = log N(ψ⁻¹(x); 0, I) + log|det Dψ⁻¹(x)|.
import { z } from 'zod';
import { defineObjective } from '@pfm/core';
import { dequantizationShape } from '../data/dequantization.js';
import { pixelPreprocessingSchema } from '../data/pixel-preprocessing.js';
import { PERMUTATION_KINDS, defaultPermutation } from './coupling-flow-specs.js';
import { couplingFlowRun, couplingUnsupported, loadFlowModel } from './flow-training-run.js';
import { flowImageDefaults } from './image-recipe-defaults.js';

/** Options of the `realnvp` objective, with defaults (see the README table). */
export const realNvpOptionsSchema = z
  .object({
    /** Number of coupling blocks. */
    blocks: z.number().int().positive().max(128).default(8),
    /** `affine` (RealNVP) or `additive` (NICE, volume preserving: use with actnorm). */
    coupling: z.enum(['affine', 'additive']).default('affine'),
    /**
     * Mixing between blocks: `reverse` (a swap in 2-D), `random`, `lu` (LU linear) or `none`
     * (alternating masks). Default: `reverse` in 2-D, `random` beyond — in d ≥ 3, reversing the
     * order (or alternating odd / even masks) keeps the same coordinates together in every block,
     * so the coordinates of one half never condition each other (see {@link defaultPermutation}).
     */
    permutation: z.enum(PERMUTATION_KINDS).optional(),
    /**
     * The column order of each mixing layer, data → noise (orders[b] follows block b; blocks − 1
     * of them, each a permutation of 0 … d − 1, x[:, j] = z[:, order[j]]), instead of the random
     * draws of `random` / the P of `lu`: to pin a layout, or to reproduce another library's.
     */
    mixingOrders: z.array(z.array(z.number().int().min(0)).min(1)).optional(),
    /** An ActNorm layer (data-initialised) at the data side of every block. */
    actnorm: z.boolean().default(true),
    /** Soft clamp c of the affine log-scales, s = c·tanh(s_raw / c). */
    clamp: z.number().positive().default(3),
    ...dequantizationShape,
    /** Images in [0, 1]: uniform dequantisation and the logit transform (absent: none); see pixelPreprocessingSchema. */
    preprocess: pixelPreprocessingSchema.optional(),
  })
  .strict();

/** Validated options of `realnvp`. */
export type RealNvpOptions = z.output<typeof realNvpOptionsSchema>;

/**
 * The `realnvp` objective: coupling flow (affine or additive) trained by maximum likelihood.
 * Networks: `model.hidden` (default [32, 32]) and `model.activation` (default silu) of the recipe.
 * Source: Dinh, Sohl-Dickstein & Bengio, "Density estimation using Real NVP", ICLR 2017;
 * Dinh, Krueger & Bengio, "NICE", 2015; Kingma & Dhariwal, "Glow", 2018 (ActNorm).
 */
export const realNvpObjective = defineObjective({
  id: 'realnvp',
  description: 'RealNVP / NICE coupling flow by maximum likelihood (exact log-likelihood)',
  schema: realNvpOptionsSchema,
  recipeDefaults: flowImageDefaults,
  unsupported: couplingUnsupported,
  create: (options, ctx) =>
    couplingFlowRun('realnvp', { ...options, permutation: options.permutation ?? defaultPermutation(ctx.dim) }, ctx, (mask, network) =>
      options.coupling === 'affine'
        ? { type: 'affine-coupling', options: { dim: ctx.dim, mask, ...network, clamp: options.clamp } }
        : { type: 'additive-coupling', options: { dim: ctx.dim, mask, ...network } },
    ),
  load: (parts) => loadFlowModel('realnvp', parts),
});
