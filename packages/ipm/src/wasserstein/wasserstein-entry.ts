import { z } from 'zod';
import { defineDiscrepancy } from '@pfm/core';
import { wassersteinLoss } from './wasserstein-loss.js';

/** Options of the `wasserstein` discrepancy. */
export const wassersteinEntrySchema = z.strictObject({
  p: z.number().min(1).default(2),
  root: z.boolean().default(true),
  solver: z.enum(['auto', 'assignment', 'network', 'sorting']).default('auto'),
});

/** Registry entry `wasserstein`: exact W_p (the benchmark's W2 with the defaults). */
export const wassersteinEntry = defineDiscrepancy({
  id: 'wasserstein',
  description: 'Exact W_p by optimal assignment / network simplex / sorting (Float64, host), gradient through the plan',
  schema: wassersteinEntrySchema,
  create: (options) => (x, y) => wassersteinLoss(x, y, options),
});
