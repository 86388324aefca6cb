import { z } from 'zod';
import { defineDiscrepancy } from '@pfm/core';
import { sinkhornDivergence } from './sinkhorn-divergence.js';

/** Options of the `sinkhorn` discrepancy. */
export const sinkhornEntrySchema = z.strictObject({
  blur: z.number().positive().default(0.05),
  p: z.number().min(1).default(2),
  scaling: z.number().gt(0).lt(1).default(0.5),
  maxIterations: z.number().int().positive().default(1000),
  tolerance: z.number().positive().default(1e-2),
});

/** Registry entry `sinkhorn`: the debiased Sinkhorn divergence. */
export const sinkhornEntry = defineDiscrepancy({
  id: 'sinkhorn',
  description: 'Debiased Sinkhorn divergence OT_ε(x,y) − ½OT_ε(x,x) − ½OT_ε(y,y), cost ‖x − y‖^p/p, ε = blur^p',
  schema: sinkhornEntrySchema,
  create: (options) => (x, y) => sinkhornDivergence(x, y, options),
});
