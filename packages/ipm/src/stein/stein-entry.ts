import { z } from 'zod';
import { defineDiscrepancy } from '@pfm/core';
import { gaussianScore } from './gaussian-score.js';
import { kernelSteinDiscrepancy, kernelSteinSchema, type ScoreFunction } from './kernel-stein-discrepancy.js';

const numberOrList = z.union([z.number(), z.array(z.number()).min(1)]);

/** Options of the `stein` discrepancy: the target (`target` from JSON or `score` from code) and those of {@link kernelSteinSchema}. */
export const steinEntrySchema = z
  .strictObject({
    /** A Gaussian target N(mean, diag std²), usable from JSON configs. */
    target: z
      .strictObject({ kind: z.literal('gaussian'), mean: numberOrList.default(0), std: numberOrList.default(1) })
      .optional(),
    /** The target's score ∇log p as a function (from code). */
    score: z.custom<ScoreFunction>((v) => typeof v === 'function', { message: 'score must be a function x [n, d] → [n, d]' }).optional(),
    ...kernelSteinSchema.shape,
  })
  .refine((o) => (o.target === undefined) !== (o.score === undefined), {
    message: 'give exactly one of "target" ({ kind: "gaussian", mean, std }) or "score" (a function)',
  });

/**
 * Registry entry `stein`: KSD² of the first argument against the target; the second argument
 * (the data sample of the Discrepancy signature) is not used.
 */
export const steinEntry = defineDiscrepancy({
  id: 'stein',
  description: 'Kernel Stein discrepancy KSD² of x against a target score (IMQ or Gaussian kernel); y is ignored',
  schema: steinEntrySchema,
  create(options) {
    const { target, score, ...rest } = options;
    const s = score ?? gaussianScore(target!.mean, target!.std);
    return (x) => kernelSteinDiscrepancy(x, { ...rest, score: s });
  },
});
