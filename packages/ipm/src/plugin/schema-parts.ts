// Zod pieces shared by the registry entries of @pfm/ipm.
import { z } from 'zod';

/** A length scale: a positive number or "median" (median heuristic). */
export const lengthScaleSchema = z.union([z.number().positive(), z.literal('median')]);

/** `'unbiased'` (U-statistic) or `'biased'` (V-statistic). */
export const estimatorSchema = z.enum(['unbiased', 'biased']);

/** Rows/columns per block of pairwise sums. */
export const tileSizeSchema = z.number().int().positive().default(1024);

/** A list of d-vectors (frequencies, points or directions). */
export const vectorsSchema = z.array(z.array(z.number()).min(1)).min(1);

/** Nonnegative weights. */
export const weightsSchema = z.array(z.number().nonnegative()).min(1);

/** Options of the pairwise-sum discrepancies (MMD, energy distance): estimator, tiling and fusion. */
export const pairwiseShape = {
  estimator: estimatorSchema.default('unbiased'),
  tileSize: tileSizeSchema,
  /** Fused host loop (default on cpu and wasm) or composed tfjs ops (false). */
  fused: z.boolean().optional(),
};
