import { z } from 'zod';
import type { DiscrepancyEntry } from '@pfm/core';
import { wassersteinLoss } from './wasserstein-loss.js';

const schema = z.strictObject({
  p: z.number().min(1).default(2),
  root: z.boolean().default(true),
  solver: z.enum(['auto', 'assignment', 'network', 'sorting']).default('auto'),
});

/** Registry entry `wasserstein`: exact W_p (the benchmark's W2 with the defaults). */
export const wassersteinEntry: DiscrepancyEntry<z.output<typeof schema>> = {
  kind: 'discrepancy',
  id: 'wasserstein',
  description: 'Exact W_p by optimal assignment / network simplex / sorting (Float64, host), gradient through the plan',
  schema,
  create: (options) => (x, y) => wassersteinLoss(x, y, options),
};
